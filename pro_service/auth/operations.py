"""What changes API clients: create one (its token shown once), revoke one.

Keyword-only, flush only; the request or CLI command commits at its boundary.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime

from pro_service import db
from pro_service.auth.api_clients import ApiClient, ApiClientUnit
from pro_service.pathways.models import Unit
from pro_service.types import utcnow

TOKEN_BYTES = 32  # 256 bits


class ApiClientError(ValueError):
    """A request about API clients that cannot be done; the message says why."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_client(*, name: str, units: Iterable[Unit]) -> tuple[ApiClient, str]:
    """Add a client scoped to `units`; returns it with its token, which exists only in this return value."""
    units = list(units)
    if not name.strip():
        raise ApiClientError("an API client needs a name")
    if not units:
        raise ApiClientError("an API client needs at least one unit")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    client = ApiClient(name=name.strip(), token_hash=hash_token(token))
    session = db.session()
    session.add(client)
    session.flush()
    session.add_all(ApiClientUnit(api_client_id=client.id, unit_id=unit.id) for unit in {u.id: u for u in units}.values())
    session.flush()
    return client, token


def revoke_api_client(*, client: ApiClient, at: datetime | None = None) -> ApiClient:
    """Stop a client's token from working; revoking twice keeps the first time."""
    if client.revoked_at is None:
        client.revoked_at = at or utcnow()
        db.session().flush()
    return client
