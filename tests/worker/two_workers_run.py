"""One worker round in a process of its own, as `pro-service worker --once` runs it, with a recording backend.

Run by tests/worker/test_two_workers_postgresql.py: settings from the
environment; prints the ids it delivered and what each job did, as JSON.
"""
import json
import sys
import time
from pathlib import Path

from pro_service import create_app, db
from pro_service.pathways.outbox import FileBackend
from pro_service.worker.schedule import Intervals, plan, run_round


class Recording(FileBackend):
    """Files, as in development, a little slower than a disk (so two workers' rounds overlap), and a list."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.ids: list[str] = []

    def deliver(self, message) -> None:
        time.sleep(0.005)
        super().deliver(message)
        self.ids.append(message.id)


def main(outbox: Path, letters: Path, batch: int) -> None:
    app = create_app()
    try:
        with app.app_context():
            settings = app.config["SETTINGS"]
            backend = Recording(outbox)
            schedule = plan(settings, Intervals(), letters_out=letters, batch=batch,
                            backends={"email": backend, "sms": backend})
            outcomes = run_round(settings, schedule)
            print(json.dumps({"delivered": backend.ids,
                              "outcomes": {name: [o.done, o.failed, o.skipped] for name, o in outcomes.items()}}))
    finally:
        db.engine(app).dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
