"""Guessing one account's password is throttled per e-mail address, from however many client addresses."""
from __future__ import annotations

import re

from pro_service.extensions import limiter


def attempt(client, email: str, address: str) -> int:
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client.post("/login", data={"csrf_token": token, "email": email, "password": "wrong guess"},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_login_guessing_against_one_email_from_many_addresses_is_throttled(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    limiter.reset()

    statuses = [attempt(client, " Lege@Example.no", f"203.0.113.{n}") for n in range(3)]
    statuses.append(attempt(client, "lege@example.no", "203.0.113.99"))  # case and spaces do not make a new target

    assert statuses == [200, 200, 200, 429]
    assert attempt(client, "someone.else@example.no", "203.0.113.100") == 200
    limiter.reset()


def test_login_guessing_many_emails_from_one_address_is_throttled(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    limiter.reset()

    statuses = [attempt(client, f"user{n}@example.no", "198.51.100.1") for n in range(4)]

    assert statuses == [200, 200, 200, 429]
    limiter.reset()
