"""What the clinic pages read, as plain data: the caseload and the alerts queue.

Set-based: the caseload runs the same five queries for 5 pathways or 5,000 (a
test counts them), each restricted by a subquery of the open pathways the
caller may see, never by a loop over pathways. Every function takes the unit
ids its caller may see (`auth.access.patient_data_units()`).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_
from sqlmodel import col, select

from pro_service import db, definitions
from pro_service.clinic.trajectories import ChangeSummary, summarise_changes
from pro_service.pathways.models import (
    Alert,
    AlertKind,
    Assessment,
    AssessmentStatus,
    Invitation,
    MilestoneEvent,
    Pathway,
    PathwayStatus,
    Patient,
    Respondent,
    Response,
    Score,
    Unit,
)
from pro_service.pathways.queries import TimeLimitStatus, TimeLimitView, time_limits

SORTS = ("attention", "name", "started", "milestone", "alerts", "overdue")
UNANSWERED = (AssessmentStatus.SCHEDULED, AssessmentStatus.OPEN, AssessmentStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Nonresponse:
    """Assessments opened and not answered: `invited` (no reminder yet), `reminded`, `missing` (past due)."""

    invited: int = 0
    reminded: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return self.invited + self.reminded + self.missing


@dataclass(frozen=True)
class CaseloadRow:
    pathway_id: str
    patient_id: str
    unit_id: str
    patient_name: str
    unit_code: str
    package_id: str
    started_at: datetime
    milestone: str | None
    milestone_at: datetime | None
    time_limits: tuple[TimeLimitView, ...]
    """Only the limits at risk or overdue."""
    open_alerts: int
    unanswered_alerts: int
    """Of `open_alerts`, those for a critical item left unanswered (a risk not ruled out)."""
    oldest_alert_at: datetime | None
    alert_highlighted: bool
    """An open alert: shown as urgent from the moment it is raised."""
    alert_overdue: bool
    """An open alert older than the unit's highlight time (ALERT_HIGHLIGHT_HOURS)."""
    nonresponse: Nonresponse
    changes: tuple[ChangeSummary, ...]
    """Since the package's baseline; empty while its baseline milestone is not registered."""
    awaiting_baseline: bool
    """The package's baseline milestone has not been registered yet, so no change is shown."""

    @property
    def overdue(self) -> bool:
        return any(limit.status == TimeLimitStatus.OVERDUE for limit in self.time_limits)

    @property
    def attention(self) -> int:
        """0 open alert, 1 overdue time limit, 2 a limit at risk (e.g. an evaluation due), 3 nothing pressing."""
        if self.open_alerts:
            return 0
        if self.overdue:
            return 1
        return 2 if self.time_limits else 3


@dataclass(frozen=True)
class CaseloadFilter:
    package: str | None = None
    overdue_only: bool = False
    include_ended: bool = False
    with_alerts: bool = False
    sort: str = "attention"


def caseload(*, unit_ids: Collection[str], now: datetime, timezone: str, highlight_after: timedelta,
             filters: CaseloadFilter = CaseloadFilter()) -> tuple[CaseloadRow, ...]:
    """The open pathways of `unit_ids` (and ended ones, if asked) with what needs attention; five queries."""
    session = db.session()
    conditions = [col(Pathway.unit_id).in_(sorted(unit_ids))]
    if not filters.include_ended:
        conditions.append(Pathway.status == PathwayStatus.OPEN)
    if filters.package:
        conditions.append(Pathway.package_id == filters.package)
    if filters.with_alerts:
        conditions.append(col(Pathway.id).in_(select(Alert.pathway_id).where(col(Alert.acknowledged_at).is_(None))))
    open_ids = select(Pathway.id).where(*conditions)

    pathways = session.exec(
        select(Pathway.id, Pathway.patient_id, Pathway.unit_id, Pathway.package_id, Pathway.started_at, Patient.name,
               Unit.code, Pathway.care_setting)
        .join(Patient, col(Patient.id) == Pathway.patient_id)
        .join(Unit, col(Unit.id) == Pathway.unit_id)
        .where(*conditions)
    ).all()
    events = defaultdict(list)
    for event in session.exec(
        select(MilestoneEvent.pathway_id, MilestoneEvent.milestone_id, MilestoneEvent.occurred_at)
        .where(col(MilestoneEvent.pathway_id).in_(open_ids))
        .order_by(col(MilestoneEvent.occurred_at), col(MilestoneEvent.registered_at))
    ):
        events[event.pathway_id].append(event)
    alerts = defaultdict(list)
    unanswered: Counter[str] = Counter()
    for pathway_id, created_at, kind in session.exec(
        select(Alert.pathway_id, Alert.created_at, Alert.kind)
        .where(col(Alert.pathway_id).in_(open_ids), col(Alert.acknowledged_at).is_(None))
    ):
        alerts[pathway_id].append(created_at)
        unanswered[pathway_id] += kind == AlertKind.UNANSWERED
    nonresponse = _nonresponse(open_ids, now)
    scores = _scores(open_ids)

    packages = definitions.packages()
    rows = []
    for pathway_id, patient_id, unit_id, package_id, started_at, name, unit_code, care_setting in pathways:
        own_events = events.get(pathway_id, [])
        limits = time_limits(package=packages[package_id], events=own_events, now=now, timezone=timezone,
                             care_setting=care_setting) if package_id in packages else ()
        pending = tuple(limit for limit in limits if limit.status in (TimeLimitStatus.AT_RISK, TimeLimitStatus.OVERDUE))
        oldest = min(alerts[pathway_id]) if alerts.get(pathway_id) else None
        latest = own_events[-1] if own_events else None
        package = packages.get(package_id)
        baseline_at = next((e.occurred_at for e in own_events
                            if package and e.milestone_id == package.outcome.baseline), None)
        rows.append(CaseloadRow(
            pathway_id=pathway_id, patient_id=patient_id, unit_id=unit_id, patient_name=name, unit_code=unit_code, package_id=package_id,
            started_at=started_at, milestone=latest.milestone_id if latest else None,
            milestone_at=latest.occurred_at if latest else None, time_limits=pending,
            open_alerts=len(alerts.get(pathway_id, ())), unanswered_alerts=unanswered[pathway_id],
            oldest_alert_at=oldest,
            alert_highlighted=oldest is not None,
            alert_overdue=oldest is not None and now - oldest > highlight_after,
            nonresponse=nonresponse.get(pathway_id, Nonresponse()),
            changes=summarise_changes(scores[pathway_id], definitions.catalog(), baseline_at=baseline_at)
            if baseline_at is not None else (),
            awaiting_baseline=baseline_at is None,
        ))
    if filters.overdue_only:
        rows = [row for row in rows if row.overdue]
    return tuple(sorted(rows, key=_sort_key(filters.sort)))


def _sort_key(sort: str):
    far_past = datetime.min.replace(tzinfo=None)
    keys = {
        # "Who needs me today?": open alerts (oldest first), then overdue limits, then limits at risk, then by name.
        "attention": lambda r: (r.attention, r.oldest_alert_at or r.started_at, r.patient_name.casefold(),
                                r.pathway_id),
        "name": lambda r: (r.patient_name.casefold(), r.pathway_id),
        "started": lambda r: (r.started_at, r.pathway_id),
        "milestone": lambda r: ((r.milestone_at.replace(tzinfo=None) if r.milestone_at else far_past), r.pathway_id),
        # The most urgent first: oldest open alert, then the most overdue time limits.
        "alerts": lambda r: (r.oldest_alert_at is None, r.oldest_alert_at or r.started_at, r.pathway_id),
        "overdue": lambda r: (-sum(limit.status == TimeLimitStatus.OVERDUE for limit in r.time_limits),
                              -len(r.time_limits), r.patient_name.casefold(), r.pathway_id),
    }
    return keys.get(sort, keys["attention"])


def _nonresponse(open_ids, now: datetime) -> dict[str, Nonresponse]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for pathway_id, due_at, expires_at, reminders in db.session().exec(
        select(Assessment.pathway_id, Assessment.due_at, Assessment.expires_at, Invitation.reminders_sent)
        .outerjoin(Invitation, and_(col(Invitation.milestone_event_id) == Assessment.milestone_event_id,
                                    col(Invitation.respondent_id) == Assessment.respondent_id))
        .where(col(Assessment.pathway_id).in_(open_ids), col(Assessment.status).in_([s.value for s in UNANSWERED]),
               Assessment.opens_at <= now)
    ):
        if now > due_at or now >= expires_at:
            counts[pathway_id][2] += 1
        elif reminders:
            counts[pathway_id][1] += 1
        else:
            counts[pathway_id][0] += 1
    return {pathway_id: Nonresponse(*values) for pathway_id, values in counts.items()}


def _scores(open_ids) -> dict[str, list]:
    """Every score of the pathways, with the milestone it belongs to, in milestone order."""
    rows = db.session().exec(
        select(Assessment.pathway_id, Assessment.instrument_id, Assessment.respondent_id, Respondent.role,
               Score.scale_id, Score.value, Score.caseness, MilestoneEvent.milestone_id,
               MilestoneEvent.occurred_at)
        .join(Response, col(Response.assessment_id) == Assessment.id)
        .join(Score, col(Score.response_id) == Response.id)
        .join(Respondent, col(Respondent.id) == Assessment.respondent_id)
        .join(MilestoneEvent, col(MilestoneEvent.id) == Assessment.milestone_event_id)
        .where(col(Assessment.pathway_id).in_(open_ids), col(Response.submitted_at).is_not(None),
               col(Score.value).is_not(None))
        .order_by(col(MilestoneEvent.occurred_at), col(Response.submitted_at), col(Response.id))
    ).all()
    by_pathway: dict[str, list] = defaultdict(list)
    for row in rows:
        by_pathway[row.pathway_id].append(row)
    return by_pathway


@dataclass(frozen=True)
class AlertRow:
    id: str
    pathway_id: str
    patient_id: str
    patient_name: str
    unit_id: str
    instrument_id: str
    respondent_role: str
    item: int
    kind: str
    """An AlertKind: a critical answer, or a critical item not answered (then `value` is None)."""
    value: float | None
    answer_language: str | None
    response_id: str | None
    created_at: datetime


def open_alerts(*, unit_ids: Collection[str], pathway_id: str | None = None) -> tuple[AlertRow, ...]:
    """Unacknowledged alerts of `unit_ids` (or of one pathway), oldest first; one query."""
    query = (
        select(Alert, Assessment.instrument_id, Respondent.role, Pathway.patient_id, Patient.name,
               Response.id, Response.language)
        .join(Assessment, col(Assessment.id) == Alert.assessment_id)
        .join(Respondent, col(Respondent.id) == Assessment.respondent_id)
        .join(Pathway, col(Pathway.id) == Alert.pathway_id)
        .join(Patient, col(Patient.id) == Pathway.patient_id)
        .outerjoin(Response, col(Response.assessment_id) == Assessment.id)
        .where(col(Alert.acknowledged_at).is_(None), col(Alert.unit_id).in_(sorted(unit_ids)))
        .order_by(col(Alert.created_at), col(Alert.id))
    )
    if pathway_id is not None:
        query = query.where(Alert.pathway_id == pathway_id)
    return tuple(
        AlertRow(id=alert.id, pathway_id=alert.pathway_id, patient_id=patient_id, patient_name=name,
                 unit_id=alert.unit_id, instrument_id=instrument_id, respondent_role=str(role), item=alert.item,
                 kind=str(alert.kind), value=alert.value, answer_language=language, response_id=response_id,
                 created_at=alert.created_at)
        for alert, instrument_id, role, patient_id, name, response_id, language in db.session().exec(query)
    )



def clinician_names(emails: Collection[str]) -> dict[str, str]:
    """Who finalized what, by name: e-mail address → the clinician's name; one query."""
    from pro_service.auth.models import User  # the clinic reads names; auth owns the table

    if not emails:
        return {}
    return {email: name for email, name in db.session().exec(
        select(User.email, User.name).where(col(User.email).in_(sorted(set(emails)))))}
