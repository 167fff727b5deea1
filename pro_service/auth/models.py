"""Tables of the auth area: clinicians and their roles in units.

A user sees patient data only through a `Membership` with a role that grants
it (clinician, unit leader); `pro_service.auth.access` is the one place that
turns memberships into access.
"""
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from pro_service.types import UTCDateTime, new_id, utcnow


def _at(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Role(StrEnum):
    CLINICIAN = "clinician"
    UNIT_LEADER = "unit_leader"
    ADMINISTRATOR = "administrator"


# Roles that see the unit's patients. An administrator manages units, users and
# API tokens but sees no patient data unless also a clinician of that unit.
PATIENT_DATA_ROLES = frozenset({Role.CLINICIAN, Role.UNIT_LEADER})

USER_LANGUAGES = ("nb", "nn", "da", "en")


class User(SQLModel, table=True):
    """A person who logs in to the clinic pages; a Flask-Login user (`get_id` is the uuid)."""

    # "user" is a reserved word in PostgreSQL; a plain name keeps raw SQL simple.
    __tablename__ = "user_account"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    email: str = Field(unique=True, index=True, max_length=254, description="Stored lower-cased")
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=200, description="argon2id; empty once a one-time password is used")
    must_set_password: bool = Field(default=True, description="The password is one-time: the user must choose one")
    session_version: int = Field(default=0, description="Bumped to end every session of the user (logout, reset)")
    language: str = Field(default="nb", max_length=8)
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = _at(default=None)
    last_login_at: datetime | None = _at(default=None)
    created_at: datetime = _at(default_factory=utcnow)

    memberships: list["Membership"] = Relationship(back_populates="user")

    # Flask-Login's user protocol, written out: UserMixin's `is_active` property
    # would clash with the column of the same name.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.id


class Membership(SQLModel, table=True):
    """One role of one user in one unit."""

    __table_args__ = (UniqueConstraint("user_id", "unit_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="user_account.id", index=True, max_length=32)
    unit_id: str = Field(foreign_key="unit.id", index=True, max_length=32)
    role: Role = Field(sa_type=String(20))
    created_at: datetime = _at(default_factory=utcnow)

    user: User = Relationship(back_populates="memberships")
