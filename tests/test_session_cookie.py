"""The session cookie is Flask's own, byte for byte: the app only builds its serializer once per key."""
from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

from pro_service.security import SignedCookieSessions

CONTENT = {"invitation": "inv-1", "locale": "nb", "csrf_token": "a" * 40}


def test_a_cookie_is_signed_as_flask_signs_it_and_each_reads_the_others(app):
    ours = SignedCookieSessions().get_signing_serializer(app)
    flasks = SecureCookieSessionInterface().get_signing_serializer(app)

    assert ours.loads(flasks.dumps(CONTENT)) == CONTENT
    assert flasks.loads(ours.dumps(CONTENT)) == CONTENT
    assert ours.make_signer().get_signature(b"payload") == flasks.make_signer().get_signature(b"payload")


def test_a_new_secret_key_builds_a_new_serializer_and_the_old_key_still_reads_as_a_fallback(app):
    interface = SignedCookieSessions()
    before = interface.get_signing_serializer(app)
    cookie = before.dumps(CONTENT)
    assert interface.get_signing_serializer(app) is before

    old_key = app.secret_key
    app.secret_key = "another-secret-key-that-is-long-enough-9876543210"
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    try:
        after = interface.get_signing_serializer(app)
        assert after is not before
        assert after.loads(cookie) == CONTENT  # a cookie signed before a key rotation is still read
        app.config["SECRET_KEY_FALLBACKS"] = []
        assert interface.get_signing_serializer(app).loads_unsafe(cookie)[0] is False  # no longer trusted
    finally:
        app.secret_key = old_key
        app.config["SECRET_KEY_FALLBACKS"] = []


def test_the_app_uses_it(app):
    assert isinstance(app.session_interface, SignedCookieSessions)
