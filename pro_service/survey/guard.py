"""Which invitation a respondent page belongs to, and the friendly pages when there is none."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import redirect, render_template, url_for
from sqlalchemy.exc import IntegrityError

from pro_service import db
from pro_service.pathways.invitations import InvitationState, invitation_state
from pro_service.survey import respondent
from pro_service.survey.queries import invitation_by_id, unit_contact
from pro_service.survey.rows import InvitationLike
from pro_service.types import utcnow

T = TypeVar("T")
ENDED = "ended"
SUBMITTED = "submitted"
STATUS = {InvitationState.UNKNOWN: 404, InvitationState.EXPIRED: 410, InvitationState.ANSWERED: 410, ENDED: 404}


class SessionProblem(Exception):
    """The page cannot be shown for this link or session; `problem_page` says so kindly."""

    def __init__(self, kind: str, invitation: InvitationLike | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.invitation = invitation


def current_invitation(*, allow_used: bool = False, or_none: bool = False) -> InvitationLike | None:
    invitation = invitation_by_id(respondent.invitation_id())
    if invitation is None:
        if or_none:
            return None
        raise SessionProblem(ENDED)
    state = invitation_state(invitation, now=utcnow())
    if state is InvitationState.ANSWERED:
        if allow_used:
            return invitation
        raise SessionProblem(SUBMITTED, invitation)
    if state is not InvitationState.VALID:
        raise SessionProblem(state, invitation)
    return invitation


def problem_page(problem: SessionProblem):
    if problem.kind == SUBMITTED:
        return redirect(url_for("survey.done"), 303)
    return render_template("survey/link_problem.html", kind=str(problem.kind),
                           unit=unit_contact(problem.invitation)), STATUS[problem.kind]


def once_more_on_conflict(action: Callable[[], T]) -> T:
    """Run `action`; when a concurrent request won a unique constraint, start over once and see its result.

    Only at this boundary is the unit of work rolled back: service functions flush and never commit.
    """
    try:
        return action()
    except IntegrityError:
        db.session().rollback()
        return action()
