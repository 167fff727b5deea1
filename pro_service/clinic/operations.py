"""What the clinic pages change that no other area owns: acknowledging an alert.

Keyword-only, flush only; the request commits at its boundary together with the audit row.
"""
from __future__ import annotations

from datetime import datetime

from pro_service import db
from pro_service.pathways.models import Alert

NOTE_MAX = 500


class AlertError(ValueError):
    """An alert that cannot be acknowledged; the message says why."""


def acknowledge_alert(*, alert: Alert, by: str, note: str, now: datetime) -> Alert:
    """Mark a critical answer as seen and acted on, with the clinician's short note; it leaves the queue.

    Acknowledging twice keeps the first acknowledgement (who, when, note).
    """
    note = note.strip()
    if not note:
        raise AlertError("an acknowledgement needs a note")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now
        alert.acknowledged_by = by
        alert.note = note[:NOTE_MAX]
        db.session().flush()
    return alert
