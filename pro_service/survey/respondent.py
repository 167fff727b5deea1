"""The respondent session: only the invitation id, the chosen language and tablet mode live in the cookie.

Flask's session cookie is signed, so a respondent cannot point it at another
invitation; the answers themselves are only ever in the database.
"""
from __future__ import annotations

import secrets

from flask import current_app, request, session
from itsdangerous import BadSignature, URLSafeSerializer

from pro_service.i18n import LOCALES
from pro_service.survey.rows import InvitationLike

LIVE_COOKIE = "survey_js"
"""Set by survey.js (not the signed session, which scripts cannot write): the pages hide skipped items live."""
INVITATION_KEY = "survey_invitation"
TABLET_KEY = "survey_tablet"
FINISHED_KEY = "survey_finished"
"""After a tablet submit: the unit to name on the last pages, and whether an answer was critical."""
TABLET_UNIT_KEY = "survey_tablet_unit"
"""The unit whose tablet this is (from the last submit on it), named in the code page's header."""
GOALS_SKIPPED_KEY = "survey_goals_skipped"
"""The invitation whose goals step the respondent chose to skip: not offered again on the way to the review."""


def start(invitation: InvitationLike, *, language: str | None, tablet: bool) -> None:
    """A fresh session for this respondent; whatever an earlier respondent left behind is dropped."""
    session.clear()
    session[INVITATION_KEY] = invitation.id
    if language in LOCALES:
        session["locale"] = language
    if tablet:
        session[TABLET_KEY] = True


def invitation_id() -> str | None:
    return session.get(INVITATION_KEY)


def live_pages() -> bool:
    """Whether the respondent's browser runs the pages' script, so skip rules can work within a page."""
    return request.cookies.get(LIVE_COOKIE) == "1"


def is_tablet() -> bool:
    return bool(session.get(TABLET_KEY))


def set_locale(locale: str) -> None:
    if locale in LOCALES:
        session["locale"] = locale


def end_on_tablet(*, unit_id: str, critical: bool) -> None:
    """Nothing of the respondent stays on a shared tablet: only the language and where to send the next one."""
    locale = session.get("locale")
    session.clear()
    session[TABLET_KEY] = True
    session[FINISHED_KEY] = {"unit": unit_id, "critical": critical}
    session[TABLET_UNIT_KEY] = unit_id
    if locale:
        session["locale"] = locale


def tablet_unit_id() -> str | None:
    return session.get(TABLET_UNIT_KEY)


def finished_on_tablet() -> dict | None:
    return session.get(FINISHED_KEY)


def new_submission_key(invitation: InvitationLike) -> str:
    """A signed, single-use key for the review page's submit form, bound to this invitation."""
    return _serializer().dumps([invitation.id, secrets.token_urlsafe(16)])


def read_submission_key(value: str, invitation: InvitationLike) -> str | None:
    """The key's nonce when it was made for this invitation; None for a forged or foreign one."""
    try:
        invitation_id, nonce = _serializer().loads(value)
    except (BadSignature, ValueError, TypeError):
        return None
    return nonce if invitation_id == invitation.id else None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="pro-service.survey.submit")


def skip_goals(invitation_id: str) -> None:
    session[GOALS_SKIPPED_KEY] = invitation_id


def goals_skipped(invitation_id: str) -> bool:
    return session.get(GOALS_SKIPPED_KEY) == invitation_id


def forget_finished() -> None:
    session.pop(FINISHED_KEY, None)
