"""A throw-away PostgreSQL 15 server in a temporary directory, started the way `.ci/run` starts CI's."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root, as .ci/run knows.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def temporary_server(*settings: str) -> Iterator[str]:
    """Yield the SQLAlchemy URL of an empty database on a fresh server; stop and delete it afterwards.

    :param settings: extra server settings (``name=value``), beside fsync=off (durability is not measured).
    """
    if not (PG_BIN / "initdb").exists():
        raise SystemExit(f"no PostgreSQL at {PG_BIN}: install postgresql-15 or pass --postgresql-url")
    directory = Path(tempfile.mkdtemp(prefix="pro-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data, port = directory / "data", _free_port()
    options = " ".join([f"-p {port}", f"-k {directory}", "-c listen_addresses=127.0.0.1", "-c fsync=off",
                        *(f"-c {setting}" for setting in settings)])
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    try:
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                     "--encoding=UTF8", "--locale=C.UTF-8"]), **quiet)
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"),
                                     "-w", "-o", options, "start"]), **quiet)
        subprocess.run(_as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                     "pro_service_bench"]), **quiet)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/pro_service_bench"
    finally:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(directory, ignore_errors=True)
