"""Tables of API clients: EPR systems that call `/api/v1` with a bearer token, scoped to units.

The token itself is never stored: only its SHA-256, which is enough for a
secret of 256 random bits (nothing to guess from a dictionary), and lets a
request find its client with one indexed lookup.
"""
from datetime import datetime
from typing import Any

from sqlmodel import Field, Relationship, SQLModel

from pro_service.types import UTCDateTime, new_id, utcnow


def _at(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class ApiClient(SQLModel, table=True):
    __tablename__ = "api_client"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    created_at: datetime = _at(default_factory=utcnow)
    revoked_at: datetime | None = _at(default=None)

    unit_links: list["ApiClientUnit"] = Relationship(back_populates="api_client")


class ApiClientUnit(SQLModel, table=True):
    """One unit whose patients an API client may see and change."""

    __tablename__ = "api_client_unit"

    api_client_id: str = Field(foreign_key="api_client.id", primary_key=True, max_length=32)
    unit_id: str = Field(foreign_key="unit.id", primary_key=True, index=True, max_length=32)

    api_client: ApiClient = Relationship(back_populates="unit_links")
