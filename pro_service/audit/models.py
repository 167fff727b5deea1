"""The audit trail: one row per read or change of a patient's data.

Rows are append-only and carry ids, not foreign keys, so the trail outlives
anything it mentions (a deleted user, API client or pathway). `detail` is a
short machine-written note; never free text a person typed.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from pro_service.types import UTCDateTime, new_id, utcnow


class ActorKind(StrEnum):
    USER = "user"
    API_CLIENT = "api_client"
    SYSTEM = "system"


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_patient_id_at", "patient_id", "at"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_kind: ActorKind = Field(sa_type=String(20))
    actor_id: str | None = Field(default=None, max_length=32)
    action: str = Field(max_length=60, description="area.verb, e.g. pathway.read, letter.download")
    patient_id: str | None = Field(default=None, max_length=32, description="None for a report: aggregates name no patient")
    pathway_id: str | None = Field(default=None, index=True, max_length=32)
    unit_id: str = Field(index=True, max_length=32)
    remote_addr: str | None = Field(default=None, max_length=45)
    detail: str | None = Field(default=None, max_length=200)
