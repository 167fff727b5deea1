"""Typed settings from the environment, checked once at start-up so a bad deploy fails loudly."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
DEVELOPMENT_SECRET = "development-only-secret-not-for-production"
LIMIT_STORAGE_SCHEMES = {"memory", "redis", "rediss", "redis+unix", "redis+sentinel", "redis+cluster"}
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", DEVELOPMENT_SECRET}


class Settings(BaseSettings):
    """Every setting the service reads; names are the environment variables (prefix-free)."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore", frozen=True)

    pro_service_env: Literal["development", "testing", "production"] = "development"
    secret_key: str = DEVELOPMENT_SECRET
    database_url: str = f"sqlite:///{INSTANCE_DIR / 'pro_service.db'}"
    surveys_dir: Path = PROJECT_ROOT / "surveys"
    instance_dir: Path = INSTANCE_DIR
    base_url: str = "http://127.0.0.1:5000"
    timezone: str = "Europe/Oslo"
    default_locale: str = "nb"
    trusted_proxies: int = 0
    """How many reverse proxies (TLS terminators) in front may set X-Forwarded-For/-Proto/-Host; 0 trusts none."""

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    mail_from: str = "pro-service@localhost"

    alert_highlight_hours: int = 24
    """An unacknowledged alert older than this is highlighted on the caseload."""

    fhir_patient_identifier_system: str = "urn:pro-service:patient"
    """The FHIR identifier system of patients' external ids, e.g. urn:oid:2.16.578.1.12.4.1.4.1 (Norwegian
    national identity number) when the EPR sends that as the external id; a local system by default."""
    fhir_code_system_base: str = "urn:pro-service"
    """The base of the local FHIR code systems (scales without a LOINC code, bands, answers): a URN or a URL."""

    session_idle_minutes: int = Field(default=30, ge=1)
    """A clinician's session ends after this long without a request."""
    session_lifetime_hours: int = Field(default=12, ge=1)
    """A clinician's session ends this long after the login, however active."""
    password_min_length: int = Field(default=8, ge=8, le=64)
    """The shortest password a user may choose (NIST SP 800-63B: at least 8)."""

    # Rate limits in Flask-Limiter's notation ("10 per minute; 50 per hour"); what each counts by is in
    # pro_service/rate_limits.py. The application reads them from its config under the upper-case name.
    login_rate_limit: str = "10 per minute; 50 per hour"
    """Login attempts, counted per client address and, separately, per e-mail address tried."""
    survey_code_rate_limit: str = "10 per minute"
    """Short codes typed at /code, per client address (a clinic's tablets share one)."""
    survey_code_target_rate_limit: str = "5 per minute"
    """Tries of one and the same short code, from any address."""
    survey_link_rate_limit: str = "30 per minute"
    """Invitation links opened, per client address."""
    survey_page_rate_limit: str = "60 per minute"
    """Question pages sent, per invitation."""
    survey_autosave_rate_limit: str = "120 per minute"
    """Single answers saved by the page's script, per invitation."""
    survey_submit_rate_limit: str = "10 per minute"
    """Submits, per invitation."""
    ratelimit_storage_uri: str = "memory://"
    """Where the rate limits count: memory:// counts per process (one process, the embedded setup);
    redis://host:6379/0 shares the counts between every worker and instance (production)."""

    @field_validator("login_rate_limit", "survey_code_rate_limit", "survey_code_target_rate_limit",
                     "survey_link_rate_limit", "survey_page_rate_limit", "survey_autosave_rate_limit",
                     "survey_submit_rate_limit")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a rate limit such as '10 per minute; 50 per hour'") from None
        return value

    @field_validator("ratelimit_storage_uri")
    @classmethod
    def _known_limit_storage(cls, value: str) -> str:
        scheme = value.partition("://")[0].lower()
        if not value.partition("://")[1] or scheme not in LIMIT_STORAGE_SCHEMES:
            raise ValueError("RATELIMIT_STORAGE_URI must be memory:// or redis://host:port/db "
                             f"(schemes: {', '.join(sorted(LIMIT_STORAGE_SCHEMES))})")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"DATABASE_URL is not a database URL: {exc}") from None
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError("DATABASE_URL must be sqlite:///… or postgresql://…")
        if url.get_backend_name() == "postgresql" and url.drivername != "postgresql+psycopg":
            # psycopg 3 is the one driver we install; accept the common spellings.
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)

    @model_validator(mode="after")
    def _real_secret_outside_development(self) -> "Settings":
        if self.pro_service_env == "production" and (
            self.secret_key.strip().lower() in PLACEHOLDER_SECRETS or len(self.secret_key) < 32
        ):
            raise ValueError("SECRET_KEY must be set to a random value of at least 32 characters in production")
        return self

    def rate_limits(self) -> dict[str, str | bool]:
        """The rate-limit settings under the config names the views and Flask-Limiter read (LOGIN_RATE_LIMIT, …)."""
        limits: dict[str, str | bool] = {name.upper(): value for name, value in self.model_dump().items()
                                         if name.endswith("_rate_limit")}
        shared = not self.ratelimit_storage_uri.startswith("memory://")
        # While a shared store is unreachable each process counts on its own, so the limits still hold
        # (per process) and a Redis outage costs no request a 500.
        return {**limits, "RATELIMIT_STORAGE_URI": self.ratelimit_storage_uri,
                "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": shared}

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
