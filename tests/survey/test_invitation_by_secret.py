"""Opening a link or typing a code finds the invitation as a row, with the respondent's language."""
from __future__ import annotations

from pro_service.pathways.invitations import find_invitation
from pro_service.survey.queries import invitation_by_secret


def test_a_link_and_a_code_find_the_same_invitation_as_the_loaded_one(invite, app):
    issued = invite(language="so")
    with app.test_request_context("/"):
        by_link = invitation_by_secret(token=issued.token)
        typed = f"{issued.short_code[:4].lower()} {issued.short_code[4:]}"
        by_code = invitation_by_secret(code=typed)
        loaded = find_invitation(token=issued.token)
        expected = (loaded.id, loaded.respondent_id, loaded.milestone_event_id, loaded.expires_at, loaded.used_at)

    assert by_link == by_code
    row, language = by_link
    assert language == "so"
    assert (row.id, row.respondent_id, row.milestone_event_id, row.expires_at, row.used_at) == expected


def test_an_unknown_or_empty_secret_finds_nothing(invite, app):
    issued = invite()
    with app.test_request_context("/"):
        assert invitation_by_secret(token=issued.token + "x") is None
        assert invitation_by_secret(code="ZZZZ9999") is None
        assert invitation_by_secret(token="", code="") is None
        assert invitation_by_secret() is None
