"""Security headers on every response (respondent pages add their own: no-store, no-referrer); URLs checked first.

Every API response is `Cache-Control: no-store`: most carry patient data, and
a cache between the EPR and the service must keep none of it.
"""
from __future__ import annotations

import hashlib

from flask import Flask, Response, abort, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from pro_service.bounds import MAX_URL_LENGTH

# No inline script or style anywhere: pages load site.css/survey.css and, at most, static scripts.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    from pro_service.plain_text import refuse_control_characters_in_url

    # First of all before-request hooks: nothing may look up a path or parameter that holds a control character.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters_in_url)
    app.before_request_funcs[None].insert(0, _refuse_overlong_url)
    app.after_request(_headers)
    app.session_interface = SignedCookieSessions()


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed session cookie, with its serializer built once per secret key.

    Flask builds the serializer twice a request (to read the cookie and to write it); building it
    serialises an empty dict to test the serializer and sets up the signer. And Flask names SHA-1 through
    a Python function, which sends every HMAC down the standard library's slow path; `hashlib.sha1` itself
    takes OpenSSL's. The cookie, its signature and its keys stay Flask's own, byte for byte; a changed
    SECRET_KEY or SECRET_KEY_FALLBACKS builds a new serializer.
    """

    digest_method = staticmethod(hashlib.sha1)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built = app.extensions.get(_SERIALIZER_KEY)
        if built is None or built[0] != keys:
            built = app.extensions[_SERIALIZER_KEY] = (keys, super().get_signing_serializer(app))
        return built[1]


_SERIALIZER_KEY = "pro_service.session_serializer"


def _headers(response: Response) -> Response:
    # setdefault: a blueprint that needs a different value (e.g. the API's docs page) sets its own first.
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.path.startswith("/api/"):
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _refuse_overlong_url() -> None:
    # 414 in the app's own format (a problem document under /api/); servers' own limits answer in plain HTML.
    environ = request.environ
    if len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) > MAX_URL_LENGTH:
        abort(414)
