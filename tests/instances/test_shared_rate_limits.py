"""A rate limit holds across instances and their workers when they count in one Redis.

Two app instances, each gunicorn with two sync workers, share one database and
one RATELIMIT_STORAGE_URI. A guesser at /code alternates between the
instances on fresh connections (so between their workers too): the
per-address limit (10 per minute, pro_service/rate_limits.py) stops the 11th
guess although each instance has seen only 6, which only a shared count can
do. (With memory:// every process counts alone and all 12 get through: run
once, 12 × 200; not repeated here, to keep the suite fast.)
"""
from __future__ import annotations

import secrets
from contextlib import ExitStack

from benchmarks.respondent_flow import CSRF, Client
from pro_service import db
from tests.instances.servers import redis_server, start_instances

GUESSES = 12
LIMIT = 10  # the default SURVEY_CODE_RATE_LIMIT, per address


def _guess(client: Client, csrf: str) -> int:
    code = secrets.token_hex(4).upper()  # a new code each time: the per-code limit (5) never applies
    status, _location, _html = client.request("POST", "/code", {"csrf_token": csrf, "code": code})
    client.close()  # a new connection for the next one: gunicorn hands it to whichever worker accepts first
    return status


def test_code_guess_limit_holds_across_two_instances_with_two_workers_each(tmp_path):
    url = f"sqlite:///{tmp_path / 'pro_service.db'}"
    db.upgrade_database(url)
    with ExitStack() as stack:
        storage_uri = stack.enter_context(redis_server())
        env = {"PRO_SERVICE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), "DATABASE_URL": url,
               "INSTANCE_DIR": str(tmp_path / "instance"), "RATELIMIT_STORAGE_URI": storage_uri,
               "GUNICORN_CMD_ARGS": "--preload"}
        instances = start_instances(stack, env, tmp_path)
        browsers = [Client(instance.port, []) for instance in instances]
        _status, _location, html = browsers[0].request("GET", "/code")
        csrf = CSRF.search(html).group(1)
        browsers[1].cookies = browsers[0].cookies  # one browser, one session, on both instances

        statuses = [_guess(browsers[n % 2], csrf) for n in range(GUESSES)]

    assert statuses == [200] * LIMIT + [429] * (GUESSES - LIMIT)


def test_an_unreachable_redis_falls_back_to_counting_per_process(tmp_path):
    """Redis down: the limits still hold (per process) and no request fails."""
    from pro_service import create_app
    from pro_service.extensions import limiter
    from tests.conftest import csrf_token
    from tests.instances.servers import free_port

    url = f"sqlite:///{tmp_path / 'pro_service.db'}"
    db.upgrade_database(url)
    app = create_app({"pro_service_env": "testing", "database_url": url, "instance_dir": tmp_path,
                      "secret_key": "test-secret-key-that-is-long-enough-0123456789",
                      "ratelimit_storage_uri": f"redis://127.0.0.1:{free_port()}/0"})
    app.config["SURVEY_RATE_LIMITS_IN_TESTS"] = True
    try:
        client = app.test_client()
        token = csrf_token(client, "/code")
        statuses = [client.post("/code", data={"csrf_token": token, "code": secrets.token_hex(4)}).status_code
                    for _ in range(GUESSES)]
    finally:
        # The limiter is one instance for every app in this process: give it back memory storage, alive,
        # so later tests' limiter.reset() and counts are not the dead Redis's fallback.
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"
        limiter.init_app(app)
        limiter._storage_dead = False
        db.engine(app).dispose()

    assert statuses == [200] * LIMIT + [429] * (GUESSES - LIMIT)
