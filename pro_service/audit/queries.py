"""Reading the audit trail: who saw or changed one patient's data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from pro_service import db
from pro_service.audit.models import ActorKind, AuditEvent
from pro_service.auth.models import User


@dataclass(frozen=True)
class TrailLine:
    at: datetime
    actor: str
    action: str
    pathway_id: str | None


def patient_trail(*, patient_id: str) -> list[TrailLine]:
    """Every audit row for the patient, oldest first, with actors named (in three queries)."""
    events = db.session().exec(
        select(AuditEvent).where(AuditEvent.patient_id == patient_id).order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    names = _actor_names(events)
    return [
        TrailLine(at=e.at, actor=names.get((e.actor_kind, e.actor_id), _unknown(e)), action=e.action,
                  pathway_id=e.pathway_id)
        for e in events
    ]


def _actor_names(events: list[AuditEvent]) -> dict[tuple[str, str | None], str]:
    session = db.session()
    names: dict[tuple[str, str | None], str] = {(ActorKind.SYSTEM, None): "system"}
    user_ids = {e.actor_id for e in events if e.actor_kind == ActorKind.USER}
    if user_ids:
        for user in session.exec(select(User).where(User.id.in_(user_ids))):
            names[(ActorKind.USER, user.id)] = f"{user.name} <{user.email}>"
    client_ids = {e.actor_id for e in events if e.actor_kind == ActorKind.API_CLIENT}
    if client_ids:
        from pro_service.auth.api_clients import ApiClient

        for client in session.exec(select(ApiClient).where(ApiClient.id.in_(client_ids))):
            names[(ActorKind.API_CLIENT, client.id)] = f"API client {getattr(client, 'name', client.id)}"
    return names


def _unknown(event: AuditEvent) -> str:
    return f"{event.actor_kind} {event.actor_id}" if event.actor_id else str(event.actor_kind)
