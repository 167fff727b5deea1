"""The invitation, its assessments and their drafts as the respondent's pages read them: plain frozen rows.

Every respondent request reads these. Reading columns into dataclasses costs about a third of loading ORM
objects for them (benchmarks/README.md, respondent flow), and the pages only read: what they change is written
by id with single statements (`survey.operations`).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from pro_service.pathways.models import Assessment, AssessmentStatus, Invitation, Response, assessment_status_at


@dataclass(frozen=True)
class InvitationRow:
    id: str
    respondent_id: str
    milestone_event_id: str
    expires_at: datetime
    used_at: datetime | None


InvitationLike = InvitationRow | Invitation
"""What reads by an invitation's ids take: the pages' row, or a loaded invitation (the demo's)."""


@dataclass(frozen=True)
class AssessmentRow:
    id: str
    pathway_id: str
    instrument_id: str
    status: str
    opens_at: datetime
    expires_at: datetime

    def status_at(self, now: datetime) -> AssessmentStatus:
        return assessment_status_at(self.status, opens_at=self.opens_at, expires_at=self.expires_at, now=now)


@dataclass(frozen=True)
class DraftRow:
    """An assessment's response: a draft until `submitted_at`."""

    id: str
    language: str
    answers: Mapping[str, Any]
    set_aside: Mapping[str, Any]
    submitted_at: datetime | None


def _columns(row_class, table) -> tuple:
    """The table's columns named as the row's fields, in their order: a renamed column fails at import."""
    return tuple(table.c[field.name] for field in fields(row_class))


INVITATION_COLUMNS = _columns(InvitationRow, Invitation.__table__)
ASSESSMENT_COLUMNS = _columns(AssessmentRow, Assessment.__table__)
DRAFT_COLUMNS = _columns(DraftRow, Response.__table__)


def assessment_row(assessment: Assessment) -> AssessmentRow:
    """A loaded assessment as a row (the clinic's paper answers go through the respondent's submit code)."""
    return AssessmentRow(**{field.name: getattr(assessment, field.name) for field in fields(AssessmentRow)})
