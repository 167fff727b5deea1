"""Security headers on every response (respondent pages add their own: no-store, no-referrer); URLs checked first.

Every API response is `Cache-Control: no-store`: most carry patient data, and
a cache between the EPR and the service must keep none of it.
"""
from __future__ import annotations

from flask import Flask, Response, abort, request

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
