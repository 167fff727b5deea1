"""`pro-service serve`: the application under gunicorn, with settings that fit the machine it runs on.

Sync workers, one per core plus one: the app is CPU-bound Python over a
database, so threads in one process would queue on the GIL (benchmarks/
respondent_flow.py measures it). The app is made once before the workers fork
(it connects to nothing while being made), so a replaced worker starts at once.
No access log: an invitation link's path is its secret.
"""
from __future__ import annotations

import gc
import os

import click
from flask import Flask


def server_app(app: Flask) -> Flask:
    """`app`, ready to serve many requests: what it made on start-up (catalogues, templates, metadata) is
    moved out of the garbage collector's sweeps, which otherwise walk it again and again (gc.freeze)."""
    gc.collect()
    gc.freeze()
    return app


def default_workers() -> int:
    return (os.cpu_count() or 1) + 1


def gunicorn_options(*, host: str, port: int, workers: int, timeout: int) -> dict[str, object]:
    """gunicorn's settings for production; plain data, so they can be read and tested."""
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "sync",
        "preload_app": True,
        "timeout": timeout,  # a request stuck longer than this loses its worker (gunicorn starts another)
        "graceful_timeout": 30,  # SIGTERM: requests in flight finish before the worker stops
        "keepalive": 5,  # behind a reverse proxy that keeps connections open
        "max_requests": 2000,  # workers are replaced now and then, so a slow leak never grows
        "max_requests_jitter": 200,
        "limit_request_line": 4094,  # gunicorn's default, below the app's own 8,192 (README, Security)
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "pro-service",
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
    }


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (behind a reverse proxy).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: cores + 1).")
@click.option("--timeout", type=click.IntRange(min=5), default=60, show_default=True,
              help="Seconds a request may take before its worker is replaced.")
def serve_command(host: str, port: int, workers: int | None, timeout: int) -> None:
    """Serve the application with gunicorn (settings from the environment, as every command)."""
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(host=host, port=port, workers=workers or default_workers(), timeout=timeout)

    class Application(BaseApplication):
        def load_config(self) -> None:
            for name, value in options.items():
                if value is not None:
                    self.cfg.set(name, value)

        def load(self):
            from pro_service import create_app

            return server_app(create_app())

    click.echo(f"Serving on {host}:{port} with {options['workers']} workers.", err=True)
    Application().run()
