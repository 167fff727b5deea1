"""Throwaway servers for the several-instances tests: Redis and PostgreSQL 15, each in a temp dir on a free port.

A test that needs one is skipped where the server's binary is missing, except
under CI (CI=true), where a missing binary fails the test: CI installs them
(scripts/test-deps, .ci/run) and must never pass by skipping.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.respondent_flow import Server

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_SERVER = "/usr/bin/redis-server"
START_TIMEOUT = 30.0


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(path: Path | str, what: str) -> None:
    """Skip without `path` (a developer's machine), fail under CI."""
    if Path(path).exists():
        return
    message = f"{what} is not installed ({path}); scripts/test-deps and .ci/run install it"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen | None, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} within {START_TIMEOUT:.0f} s")


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A private redis-server (no persistence) on a free port; yields its URL."""
    require(REDIS_SERVER, "redis-server")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="redis-") as directory:
        process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--logfile", str(Path(directory) / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for_port(port, process, "redis-server")
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)


class PostgresServer:
    """A private PostgreSQL 15 cluster in a temp dir, run as the postgres user when the tests run as root.

    The suite's own server (TEST_DATABASE_URL) is shared; this one the test may stop and start.
    """

    def __init__(self) -> None:
        require(PG_BIN / "initdb", "PostgreSQL 15")
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="pg-"))
        if os.getuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._as_postgres([PG_BIN / "initdb", "-D", self.directory / "data", "-U", "postgres", "-A", "trust",
                           "--encoding=UTF8", "--locale=C.UTF-8"])
        self.start()
        self._as_postgres([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                           "pro_service"])

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/pro_service"

    def _as_postgres(self, command: list) -> None:
        command = [str(part) for part in command]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)

    def start(self) -> None:
        self._as_postgres([PG_BIN / "pg_ctl", "-D", self.directory / "data", "-l", self.directory / "server.log",
                           "-w", "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                           "-c fsync=off -c max_connections=100", "start"])

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres([PG_BIN / "pg_ctl", "-D", self.directory / "data", "-m", mode, "-w", "stop"])

    def close(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "PostgresServer":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def start_instances(stack: contextlib.ExitStack, env: dict[str, str], log_dir: Path, *, count: int = 2,
                    workers: int = 2, app: str = "pro_service:create_app()") -> list[Server]:
    """`count` gunicorn instances of the app, started together and stopped when `stack` closes."""
    servers = []
    for number in range(1, count + 1):
        server = Server(app, env, log_dir / f"gunicorn-{number}.log", workers=workers)
        stack.callback(server.stop)
        servers.append(server)
    for server in servers:
        server.__enter__()  # waits until it answers /healthz
    return servers
