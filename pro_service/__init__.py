"""pro-service: patient-reported outcomes at the milestones of treatment packages."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from pro_service.config import PROJECT_ROOT, Settings
from pro_service.logs import configure_logging


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `overrides` are Settings fields (tests pass theirs here)."""
    settings = Settings(**(overrides or {}))
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(settings.instance_dir),
    )
    configure(app, settings)
    if settings.trusted_proxies:
        # Behind TLS-terminating proxies: the client's scheme and address as the proxies saw them, so
        # HSTS is sent, rate limits count clients and not the proxy, and URLs in messages say https.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies,
                                x_host=settings.trusted_proxies)
    register_extensions(app, settings)
    register_blueprints(app)
    register_commands(app)
    register_error_handlers(app)
    return app


def configure(app: Flask, settings: Settings) -> None:
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        TESTING=settings.pro_service_env == "testing",
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_DEFAULT_TIMEZONE=settings.timezone,
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "translations"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.pro_service_env == "production",
        MAX_CONTENT_LENGTH=1024 * 1024,
        # Flask-WTF's HTTPS check wants a same-origin Referer, which respondent pages (Referrer-Policy:
        # no-referrer) never send; the signed per-session token and SameSite cookies carry the CSRF defence.
        WTF_CSRF_SSL_STRICT=False,
        # A CSRF token lives as long as the session it is bound to, not 60 minutes: a respondent who
        # takes two hours over a page must not lose it. Clinician sessions end by their own rules
        # (pro_service/auth/sessions.py), and every login and logout starts a new session and token.
        WTF_CSRF_TIME_LIMIT=None,
        **settings.rate_limits(),
    )
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    configure_logging()


def register_extensions(app: Flask, settings: Settings) -> None:
    from pro_service import db, definitions, i18n, security
    from pro_service.auth import access
    from pro_service.extensions import babel, csrf, limiter

    db.init_app(app, settings.database_url)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts {% trans %} blocks
    csrf.init_app(app)
    limiter.init_app(app)
    access.init_app(app)
    definitions.init_app(app, settings)
    security.init_app(app)


def register_blueprints(app: Flask) -> None:
    from pro_service.api.views import bp as api_bp
    from pro_service.extensions import csrf
    from pro_service.auth.views import bp as auth_bp
    from pro_service.clinic.views import bp as clinic_bp
    from pro_service.health.views import bp as health_bp
    from pro_service.reports.views import bp as reports_bp
    from pro_service.survey.views import bp as survey_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(clinic_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # bearer tokens, no cookies: nothing for a cross-site form to ride on
    # For browsers and tools that ask for /favicon.ico without reading the page's <link rel="icon">.
    app.add_url_rule("/favicon.ico", "favicon", _favicon)


def _favicon():
    from flask import redirect, url_for

    return redirect(url_for("static", filename="favicon.svg"), code=301)


def register_commands(app: Flask) -> None:
    from pro_service.cli import register_app_commands

    register_app_commands(app)


def register_error_handlers(app: Flask) -> None:
    from pro_service.errors import register

    register(app)
