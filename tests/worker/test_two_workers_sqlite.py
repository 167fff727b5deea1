"""Two workers on one SQLite file: one round at a time (a file lock beside the database), each message once.

The test holds that lock while both workers start, and lets go once the
kernel shows both waiting for it (/proc/locks), so they really compete.
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pro_service import create_app, db
from pro_service.pathways.outbox import queue_message

MESSAGES = 60
WAIT_TIMEOUT = 60.0
SCRIPT = Path(__file__).with_name("two_workers_run.py")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _waiting_for(lock_file) -> int:
    """How many processes wait for the lock on this file (blocked requests are the '->' lines)."""
    inode = str(os.fstat(lock_file.fileno()).st_ino)
    fields = [line.split() for line in Path("/proc/locks").read_text().splitlines()]
    # "1: -> FLOCK  ADVISORY  WRITE 1235 08:01:123456 0 EOF": the file is MAJOR:MINOR:INODE.
    return sum(1 for line in fields if "->" in line and line[-3].rsplit(":", 1)[-1] == inode)


def test_two_workers_on_sqlite_take_turns_and_send_each_message_once(tmp_path):
    if not Path("/proc/locks").exists():
        pytest.skip("needs Linux /proc/locks to see the workers wait")
    database = tmp_path / "pro_service.db"
    url = f"sqlite:///{database}"
    db.upgrade_database(url)
    app = create_app({"database_url": url, "instance_dir": tmp_path / "instance"})
    try:
        with app.app_context(), db.unit_of_work():
            messages = [queue_message(channel="email", recipient=f"r{n}@example.no", subject="s", body="b").id
                        for n in range(MESSAGES)]
    finally:
        db.engine(app).dispose()
    env = {**os.environ, "DATABASE_URL": url, "INSTANCE_DIR": str(tmp_path / "instance"),
           "PRO_SERVICE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    with open(database.with_name(database.name + ".worker-lock"), "a+b") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        workers = [subprocess.Popen([sys.executable, str(SCRIPT), str(tmp_path / "outbox"),
                                     str(tmp_path / "letters"), "5"], env=env, cwd=PROJECT_ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        deadline = time.monotonic() + WAIT_TIMEOUT
        while _waiting_for(lock_file) < 2:
            assert time.monotonic() < deadline and all(w.poll() is None for w in workers), "workers never waited"
            time.sleep(0.1)
        fcntl.flock(lock_file, fcntl.LOCK_UN)
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-3000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))

    delivered = [message_id for report in reports for message_id in report["delivered"]]
    assert sorted(delivered) == sorted(messages)  # each once, none missing
    assert sorted(len(report["delivered"]) for report in reports) == [0, MESSAGES]  # one round after the other
