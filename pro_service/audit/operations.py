"""Writing the audit trail, in the same unit of work as the read or change it records.

`record` only adds and flushes: when the request fails (status >= 400 or an
exception) the row is rolled back together with what it describes, and a read
that was served always leaves its row.
"""
from __future__ import annotations

from flask import g, has_request_context, request
from flask_login import current_user

from collections.abc import Iterable

from sqlalchemy import insert

from pro_service import db
from pro_service.audit.models import ActorKind, AuditEvent
from pro_service.types import new_id, utcnow

DETAIL_MAX = 200


def record(*, action: str, patient_id: str, unit_id: str, pathway_id: str | None = None,
           detail: str | None = None) -> AuditEvent:
    """Add one audit row for `action` on a patient's data; the actor and address come from the request.

    The actor is the logged-in user, else the API client the API blueprint put
    in `g.api_client`, else `system` (CLI commands, jobs).
    """
    actor_kind, actor_id = _actor()
    event = AuditEvent(
        actor_kind=actor_kind, actor_id=actor_id, action=action, patient_id=patient_id,
        pathway_id=pathway_id, unit_id=unit_id,
        remote_addr=request.remote_addr if has_request_context() else None,
        detail=detail[:DETAIL_MAX] if detail else None,
    )
    session = db.session()
    session.add(event)
    session.flush()
    db.keep_on_refusal(AuditEvent.__table__, [{column.key: getattr(event, column.key)
                                               for column in AuditEvent.__table__.columns}])
    return event


def record_many(*, action: str, subjects: Iterable[tuple[str, str, str | None]], detail: str | None = None) -> int:
    """One audit row per (patient_id, unit_id, pathway_id) shown by a list page, in a single INSERT.

    A caseload of 500 patients is 500 reads of patient data, but one statement,
    so the page's query count stays the same whatever its length.
    """
    actor_kind, actor_id = _actor()
    at, addr = utcnow(), request.remote_addr if has_request_context() else None
    rows = [
        {"id": new_id(), "at": at, "actor_kind": actor_kind, "actor_id": actor_id, "action": action,
         "patient_id": patient_id, "unit_id": unit_id, "pathway_id": pathway_id, "remote_addr": addr,
         "detail": detail[:DETAIL_MAX] if detail else None}
        for patient_id, unit_id, pathway_id in dict.fromkeys(subjects)
    ]
    if rows:
        db.session().execute(insert(AuditEvent), rows)
        db.keep_on_refusal(AuditEvent.__table__, rows)
    return len(rows)


def _actor() -> tuple[ActorKind, str | None]:
    if not has_request_context():
        return ActorKind.SYSTEM, None
    user = current_user
    if user and not user.is_anonymous:
        return ActorKind.USER, user.get_id()
    api_client = g.get("api_client")
    if api_client is not None:
        return ActorKind.API_CLIENT, api_client.id
    return ActorKind.SYSTEM, None


def record_report(*, action: str, unit_ids: Iterable[str], detail: str) -> int:
    """One audit row per unit whose data a report aggregated; no patient is named, `detail` says what was asked."""
    actor_kind, actor_id = _actor()
    at, addr = utcnow(), request.remote_addr if has_request_context() else None
    rows = [{"id": new_id(), "at": at, "actor_kind": actor_kind, "actor_id": actor_id, "action": action,
             "patient_id": None, "unit_id": unit_id, "pathway_id": None, "remote_addr": addr,
             "detail": detail[:DETAIL_MAX]} for unit_id in dict.fromkeys(unit_ids)]
    if rows:
        db.session().execute(insert(AuditEvent), rows)
    return len(rows)
