"""Reads about API clients: who is calling, and which units they may see."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from pro_service import db
from pro_service.auth.api_clients import ApiClient, ApiClientUnit
from pro_service.auth.operations import hash_token


@dataclass(frozen=True)
class AuthenticatedClient:
    """The caller of one API request: plain data, so nothing lazy-loads behind a view's back."""

    id: str
    name: str
    unit_ids: frozenset[str]


def client_for_token(token: str) -> AuthenticatedClient | None:
    """The active client whose token this is, with its units; None for an unknown or revoked token."""
    if not token:
        return None
    rows = db.session().exec(
        select(ApiClient, ApiClientUnit.unit_id)
        .join(ApiClientUnit, ApiClientUnit.api_client_id == ApiClient.id)
        .where(ApiClient.token_hash == hash_token(token), ApiClient.revoked_at.is_(None))
    ).all()
    if not rows:
        return None
    client = rows[0][0]
    return AuthenticatedClient(id=client.id, name=client.name, unit_ids=frozenset(unit_id for _, unit_id in rows))


def api_client_by_id(client_id: str) -> ApiClient | None:
    return db.session().get(ApiClient, client_id)
