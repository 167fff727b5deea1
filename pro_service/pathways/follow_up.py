"""Follow-up after the end: invitations when a scheduled follow-up opens, and the patient's no.

Registering the end schedules the package's follow-ups (`operations._schedule_follow_ups`,
from each milestone's `after_end_days`). Their invitations are issued only when the
questionnaires open, months later, by the scheduled-job runner; a patient who declines
follow-up gets none from that moment: what is scheduled is cancelled and any link revoked.
Answers at a follow-up never reopen the pathway.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, exists
from sqlmodel import select

from pro_service import db, definitions
from pro_service.pathways.invitations import IssuedInvitation, issue_invitations
from pro_service.pathways.models import (
    Assessment,
    AssessmentStatus,
    Invitation,
    InvitationToken,
    MilestoneEvent,
    OutboxMessage,
    Pathway,
    Response,
    Score,
)

CONSENT = ("follow_up_consent", "declined")
"""The question asked at the end (surveys/instruments/follow_up_consent.yaml) and its scale: 1 is a no."""


def follow_up_milestones() -> frozenset[str]:
    """The milestone ids any package schedules after its end."""
    return frozenset(milestone.id for package in definitions.packages().values()
                     for milestone in package.milestones if milestone.after_end_days)


def issue_opened_follow_ups(*, now: datetime, base_url: str) -> tuple[IssuedInvitation, ...]:
    """Invite to every follow-up whose questionnaires have opened and not expired, once (through the outbox)."""
    session = db.session()
    opened = (select(Assessment.id)
              .where(Assessment.milestone_event_id == MilestoneEvent.id,
                     Assessment.status == AssessmentStatus.SCHEDULED,
                     Assessment.opens_at <= now, Assessment.expires_at > now))
    invited = select(Invitation.id).where(Invitation.milestone_event_id == MilestoneEvent.id)
    events = session.exec(
        select(MilestoneEvent).join(Pathway, MilestoneEvent.pathway_id == Pathway.id)
        .where(MilestoneEvent.milestone_id.in_(sorted(follow_up_milestones())),
               Pathway.follow_up_declined_at.is_(None), exists(opened), ~exists(invited))
        .order_by(MilestoneEvent.occurred_at)
    ).all()
    issued: list[IssuedInvitation] = []
    for event in events:
        issued += issue_invitations(event=event, base_url=base_url)
    return tuple(issued)


def decline_follow_up(*, pathway: Pathway, by: str, at: datetime) -> int:
    """Record the patient's no; cancel what follow-up is left and revoke its links. Returns how many were cancelled.

    Answers already given at a follow-up are kept. Declining twice keeps the first moment.
    """
    session = db.session()
    if pathway.follow_up_declined_at is None:
        pathway.follow_up_declined_at, pathway.follow_up_declined_by = at, by
    events = select(MilestoneEvent.id).where(MilestoneEvent.pathway_id == pathway.id,
                                             MilestoneEvent.milestone_id.in_(sorted(follow_up_milestones())))
    pending = session.exec(
        select(Assessment).where(Assessment.milestone_event_id.in_(events),
                                 Assessment.status.in_([AssessmentStatus.SCHEDULED, AssessmentStatus.IN_PROGRESS]))
    ).all()
    for assessment in pending:
        assessment.status, assessment.cancelled_at, assessment.cancelled_by = AssessmentStatus.CANCELLED, at, by
    invitations = select(Invitation.id).where(Invitation.milestone_event_id.in_(events))
    session.execute(delete(InvitationToken).where(InvitationToken.invitation_id.in_(invitations)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.invitation_id.in_(invitations),
                                                OutboxMessage.sent_at.is_(None)))
    session.flush()
    return len(pending)


_SAID_NO = (
    select(Score.id).join(Response, Score.response_id == Response.id)
    .join(Assessment, Response.assessment_id == Assessment.id)
    .where(Assessment.pathway_id == bindparam("pathway_id"), Assessment.instrument_id == CONSENT[0],
           Score.scale_id == CONSENT[1], Score.value == 1)
    .limit(1)
)
"""Built once: every submit asks it."""


def respect_answered_no(*, pathway_id: str, at: datetime) -> bool:
    """Decline follow-up at once when the patient's submitted answer to the consent question is no.

    Called wherever answers are stored (the respondent's submit, a paper answer). Returns whether declined.
    """
    session = db.session()
    said_no = session.exec(_SAID_NO, params={"pathway_id": pathway_id}).first()
    if said_no is None:
        return False
    pathway = session.get(Pathway, pathway_id)
    if pathway.follow_up_declined_at is None:
        decline_follow_up(pathway=pathway, by="respondent", at=at)
    return True
