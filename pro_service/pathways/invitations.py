"""Invitations: single-use, expiring access for one respondent to one milestone's assessments."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from sqlmodel import select

from pro_service import db
from pro_service.pathways import messages
from pro_service.pathways.contact import valid_email, valid_phone
from pro_service.pathways.models import (
    Assessment,
    AssessmentStatus,
    Invitation,
    InvitationToken,
    MilestoneEvent,
    Pathway,
    Respondent,
    Unit,
)
from pro_service.pathways.outbox import queue_message
from pro_service.pathways.secrets import hash_secret, new_link_token, new_short_code, normalize_code


@dataclass(frozen=True)
class IssuedInvitation:
    """The only moment the secrets exist in clear: returned to the caller, never stored."""

    invitation: Invitation
    token: str
    short_code: str
    link: str


class InvitationState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    ANSWERED = "answered"
    UNKNOWN = "unknown"


def invitation_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/i/{token}"


def issue_invitations(*, event: MilestoneEvent, base_url: str) -> tuple[IssuedInvitation, ...]:
    """One invitation per respondent with assessments at this milestone event; queues its message.

    Respondents who already have an invitation for the event are skipped, so
    calling it again issues only what is missing.
    """
    session = db.session()
    assessments = session.exec(
        select(Assessment).where(Assessment.milestone_event_id == event.id,
                                 Assessment.status != AssessmentStatus.CANCELLED)
    ).all()
    invited = set(session.exec(select(Invitation.respondent_id).where(Invitation.milestone_event_id == event.id)))
    by_respondent: dict[str, list[Assessment]] = {}
    for assessment in assessments:
        if assessment.respondent_id not in invited:
            by_respondent.setdefault(assessment.respondent_id, []).append(assessment)
    issued = []
    for respondent_id, own in by_respondent.items():
        invitation = Invitation(milestone_event_id=event.id, respondent_id=respondent_id,
                                expires_at=max(a.expires_at for a in own))
        session.add(invitation)
        session.flush()
        issued.append(_with_new_secrets(invitation, base_url))
    for item in issued:
        _queue_invitation_message(item, reminder=False)
    return tuple(issued)


def reissue_invitation(*, invitation: Invitation, base_url: str) -> IssuedInvitation:
    """New secrets for an existing invitation (a printed letter); every earlier link and code stops working.

    A reissue is asked for when a link went astray (a wrong address, a lost
    letter), so whoever holds the old one must no longer get in.
    """
    _revoke_secrets(invitation)
    return _with_new_secrets(invitation, base_url)


def resend_invitation(*, invitation: Invitation, base_url: str) -> IssuedInvitation:
    """A fresh link and code for an invitation, queued to the respondent's email or phone; earlier ones revoked."""
    _revoke_secrets(invitation)
    item = _with_new_secrets(invitation, base_url)
    _queue_invitation_message(item, reminder=False)
    return item


def _revoke_secrets(invitation: Invitation) -> None:
    db.session().execute(delete(InvitationToken).where(InvitationToken.invitation_id == invitation.id))
    db.session().expire(invitation, ["tokens"])


def _with_new_secrets(invitation: Invitation, base_url: str) -> IssuedInvitation:
    token = new_link_token()
    code = _add_unique_code(invitation)
    db.session().add(InvitationToken(invitation_id=invitation.id, kind="link", secret_hash=hash_secret("link", token)))
    db.session().flush()
    return IssuedInvitation(invitation=invitation, token=token, short_code=code,
                            link=invitation_link(base_url, token))


def _add_unique_code(invitation: Invitation) -> str:
    # 31^8 codes: a clash is rare, but a savepoint makes a retry safe when it happens.
    session = db.session()
    for _attempt in range(5):
        code = new_short_code()
        try:
            with session.begin_nested():
                session.add(InvitationToken(invitation_id=invitation.id, kind="code",
                                            secret_hash=hash_secret("code", code)))
            return code
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a unique short code")


def _queue_invitation_message(item: IssuedInvitation, *, reminder: bool) -> None:
    session = db.session()
    respondent = session.get(Respondent, item.invitation.respondent_id)
    event = session.get(MilestoneEvent, item.invitation.milestone_event_id)
    pathway = session.get(Pathway, event.pathway_id)
    unit = session.get(Unit, pathway.unit_id)
    message = messages.invitation_message(respondent=respondent, unit=unit, link=item.link,
                                          short_code=item.short_code, expires_at=item.invitation.expires_at,
                                          reminder=reminder)
    # An address stored before the rule (pathways/contact.py) that breaks it is passed over, not sent to.
    if valid_email(respondent.email):
        queue_message(channel="email", recipient=respondent.email, subject=message.subject,
                      body=message.body, invitation_id=item.invitation.id)
    elif valid_phone(respondent.phone):
        queue_message(channel="sms", recipient=respondent.phone, subject=message.subject,
                      body=message.sms, invitation_id=item.invitation.id)


_BY_SECRET = (select(Invitation).join(InvitationToken, InvitationToken.invitation_id == Invitation.id)
              .join(Respondent, Respondent.id == Invitation.respondent_id)
              .options(contains_eager(Invitation.respondent))
              .where(InvitationToken.secret_hash == bindparam("secret_hash")).limit(1))
"""Built once: every opened link and typed code runs it (benchmarks/README.md, respondent flow). The
respondent comes with it: opening a link starts the pages in their language."""


def find_invitation(*, token: str | None = None, code: str | None = None) -> Invitation | None:
    """Look an invitation up by a link token or a typed short code (compared by hash only)."""
    secret_hash = secret_hash_of(token=token, code=code)
    if secret_hash is None:
        return None
    return db.session().exec(_BY_SECRET, params={"secret_hash": secret_hash}).first()


def secret_hash_of(*, token: str | None = None, code: str | None = None) -> str | None:
    """The stored hash a link token or a typed short code is looked up by; None when neither is given."""
    if token:
        return hash_secret("link", token)
    if code:
        return hash_secret("code", normalize_code(code))
    return None


def invitation_state(invitation: Invitation | None, *, now: datetime) -> InvitationState:
    if invitation is None:
        return InvitationState.UNKNOWN
    if invitation.used_at is not None:
        return InvitationState.ANSWERED
    if now >= invitation.expires_at:
        return InvitationState.EXPIRED
    return InvitationState.VALID


def queue_reminders(*, now: datetime, base_url: str) -> tuple[IssuedInvitation, ...]:
    """Remind once, when an invitation's assessments are due and not all answered.

    A reminder carries a fresh link (tokens are stored only as hashes, so the
    first one cannot be re-sent); the first link keeps working.
    """
    session = db.session()
    candidates = session.exec(
        select(Invitation).where(Invitation.used_at.is_(None), Invitation.expires_at > now,
                                 Invitation.reminders_sent == 0)
    ).all()
    reminded = []
    for invitation in candidates:
        pending = session.exec(
            select(Assessment).where(
                Assessment.milestone_event_id == invitation.milestone_event_id,
                Assessment.respondent_id == invitation.respondent_id,
                Assessment.status.in_([AssessmentStatus.SCHEDULED, AssessmentStatus.IN_PROGRESS]),
                Assessment.due_at <= now,
            )
        ).all()
        if not pending:
            continue
        item = _with_new_secrets(invitation, base_url)
        invitation.reminders_sent += 1
        invitation.last_reminded_at = now
        _queue_invitation_message(item, reminder=True)
        reminded.append(item)
    session.flush()
    return tuple(reminded)
