"""`pro-service serve`: gunicorn with one sync worker per core plus one, production-safe, stopped cleanly."""
from __future__ import annotations

import gc
import http.client
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

from pro_service import db
from pro_service.serve import default_workers, gunicorn_options, server_app
from tests.instances.servers import free_port

START_TIMEOUT = 60.0


def test_options_fit_the_machine_and_keep_links_out_of_logs():
    options = gunicorn_options(host="0.0.0.0", port=8080, workers=default_workers(), timeout=60)

    assert options["workers"] == (os.cpu_count() or 1) + 1
    assert options["bind"] == ["0.0.0.0:8080"]
    assert options["worker_class"] == "sync" and options["preload_app"] is True
    assert options["accesslog"] is None  # an invitation link's path is its secret
    assert gunicorn_options(host="::1", port=80, workers=1, timeout=60)["bind"] == ["[::1]:80"]


def test_a_server_app_keeps_its_start_up_objects_out_of_the_collectors_sweeps(app):
    try:
        assert server_app(app) is app
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the test process makes many apps; frozen ones would never be freed


def _get(port: int, path: str) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def _children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def test_serve_starts_cores_plus_one_workers_and_stops_on_sigterm(tmp_path):
    url = f"sqlite:///{tmp_path / 'pro_service.db'}"
    db.upgrade_database(url)
    port = free_port()
    env = {**os.environ, "PRO_SERVICE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "DATABASE_URL": url, "INSTANCE_DIR": str(tmp_path / "instance")}
    executable = Path(os.environ.get("VIRTUAL_ENV", Path(__file__).resolve().parents[2] / ".venv")) / "bin"
    process = subprocess.Popen([str(executable / "pro-service"), "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while _get(port, "/healthz/live") != 200:
            assert process.poll() is None, process.stderr.read()[-3000:]
            assert time.monotonic() < deadline, "serve did not answer"
            time.sleep(0.2)
        expected = (os.cpu_count() or 1) + 1
        while len(children := _children(process.pid)) < expected and time.monotonic() < deadline:
            time.sleep(0.1)  # the first worker answers before the master has forked the last

        assert len(children) == expected
        assert _get(port, "/healthz/ready") == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=40)
    assert process.returncode == 0, err[-3000:]
    assert "/healthz" not in err  # no access log
