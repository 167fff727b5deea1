"""A refused goal rating (422) shows the goals again: that read is audited, though nothing else is kept."""
from __future__ import annotations

from sqlmodel import select

from pro_service.audit.models import AuditEvent
from survey_helpers import csrf
from test_goal_pages import _ratings, at_decision, at_evaluation  # noqa: F401  (fixtures and helpers)


def test_a_refused_rating_keeps_its_audit_row_and_nothing_else(session, at_evaluation, browser):  # noqa: F811
    pathway, issued = at_evaluation
    browser.get(f"/i/{issued.token}")

    def reads() -> int:
        session.expire_all()
        return len(session.exec(select(AuditEvent).where(AuditEvent.action == "goal.read",
                                                         AuditEvent.pathway_id == pathway.id)).all())

    form = browser.get("/survey/goals/rating").get_data(as_text=True)
    before = reads()
    refused = browser.post("/survey/goals/rating", {"csrf_token": csrf(form), "nav": "next", "rating_1": "11",
                                                    "rating_2": "5"})

    assert refused.status_code == 422
    assert reads() == before + 1
    assert _ratings(session, "evaluation") == {}
