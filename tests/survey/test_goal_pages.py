"""The goals step of the respondent's pages (issue 17): write up to three goals at the clinical decision with a
baseline rating, rate them 0-10 at an evaluation, or skip; nothing typed is lost, nothing is logged, reads audited."""
from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.audit.models import AuditEvent
from pro_service.goals.models import Goal, GoalRating
from pro_service.goals.operations import rate_goal, save_goal
from pro_service.pathways.models import MilestoneEvent, Respondent, Unit
from pro_service.pathways.operations import add_respondent, register_milestone, start_pathway
from survey_helpers import all_answered, csrf

BASE_URL = "https://pro.example.no"
ARABIC = "أريد أن أنام جيداً كل ليلة"
SECRET = "Slutte å skade meg selv før jul"


@pytest.fixture
def at_decision(session, make_patient):
    """at_decision(package, parent=…) → (pathway, {role: IssuedInvitation}) for a clinical decision an hour ago."""

    def make(package_id: str = "mh_adults", *, parent: bool = False, birth_date: date = date(1990, 5, 17)):
        package = definitions.packages()[package_id]
        patient = make_patient(birth_date=birth_date, language="en")
        if parent:
            add_respondent(patient=patient, role="parent", name="Forelder", language="en")
        now = datetime.now(UTC)
        pathway, _ = start_pathway(patient=patient, package=package, by="dr", base_url=BASE_URL,
                                   started_at=now - timedelta(days=30))
        register_milestone(pathway=pathway, package=package, milestone_id="first_consultation",
                           occurred_at=now - timedelta(days=20), by="dr", base_url=BASE_URL)
        registration = register_milestone(pathway=pathway, package=package, milestone_id="clinical_decision",
                                          occurred_at=now - timedelta(hours=1), by="dr", base_url=BASE_URL)
        session.commit()
        return pathway, {str(item.invitation.respondent.role): item for item in registration.invitations}

    return make


def _respondent(session, pathway, role: str = "self") -> Respondent:
    return session.exec(select(Respondent).where(Respondent.patient_id == pathway.patient_id,
                                                 Respondent.role == role)).one()


def _goals(session, pathway, role: str = "self") -> dict[int, str]:
    session.expire_all()
    who = _respondent(session, pathway, role)
    return {goal.number: goal.text for goal in session.exec(select(Goal).where(Goal.pathway_id == pathway.id,
                                                                               Goal.respondent_id == who.id))}


def _ratings(session, milestone_id: str) -> dict[int, int]:
    session.expire_all()
    rows = session.exec(select(Goal.number, GoalRating.rating).join(GoalRating, GoalRating.goal_id == Goal.id)
                        .join(MilestoneEvent, MilestoneEvent.id == GoalRating.milestone_event_id)
                        .where(MilestoneEvent.milestone_id == milestone_id)).all()
    return dict(rows)


def _write(browser, **fields):
    html = browser.get("/survey/goals").get_data(as_text=True)
    return browser.post("/survey/goals", {"csrf_token": csrf(html), "nav": "next", **fields})


def _rate(browser, **fields):
    html = browser.get("/survey/goals/rating").get_data(as_text=True)
    return browser.post("/survey/goals/rating", {"csrf_token": csrf(html), "nav": "next", **fields})


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_goal_welcome_lists_the_step_only_where_the_package_asks(session, at_decision, invite, browser):
    pathway, issued = at_decision()
    browser.get(f"/i/{issued['self'].token}")
    welcome = _text(browser.get("/survey"))
    assert "Your goals" in welcome and 'href="/survey/goals"' in welcome

    browser.get(f"/i/{invite(unit=session.get(Unit, pathway.unit_id), external_id='EPR-START').token}")
    assert "Your goals" not in _text(browser.get("/survey"))
    assert browser.get("/survey/goals").headers["Location"].endswith("/survey")


def test_goal_set_flow_writes_goals_and_their_baseline(session, at_decision, browser):
    pathway, issued = at_decision()
    browser.get(f"/i/{issued['self'].token}")
    assert browser.answer_pages(all_answered(0)) == "/survey/goals"  # the last questionnaire page leads here
    page = _text(browser.get("/survey/goals"))
    assert 'maxlength="500"' in page and 'dir="auto"' in page and "A goal is something" in page

    written = _write(browser, goal_1=f"  {ARABIC}\r\n", goal_2="", goal_3="Sove hele natta")
    assert written.status_code == 303 and written.headers["Location"].endswith("/survey/goals/rating")
    rating_page = _text(browser.get("/survey/goals/rating"))
    assert ARABIC in rating_page and "Sove hele natta" in rating_page and "goal reached" in rating_page
    rated = _rate(browser, rating_1="2", rating_3="4")

    assert rated.headers["Location"].endswith("/survey/review")
    assert _goals(session, pathway) == {1: ARABIC, 3: "Sove hele natta"}
    assert _ratings(session, "clinical_decision") == {1: 2, 3: 4}
    review = _text(browser.get("/survey/review"))
    assert "Your goals" in review and ARABIC in review and "2 of 10" in review and "Change your goals" in review
    submitted = browser.post("/survey/submit", browser.submit_form())
    assert submitted.status_code == 303 and submitted.headers["Location"].endswith("/survey/done")


@pytest.mark.parametrize(("typed", "message"), [
    ("x" * 501, "A goal can be at most 500 characters long."),
    ("Sove\x0cbedre", "The goal contains an invisible control character."),
    ("Sove\x00", "The goal contains an invisible control character."),
])
def test_goal_refused_keeps_what_was_typed_and_changes_nothing(session, at_decision, browser, typed, message):
    pathway, issued = at_decision()
    save_goal(pathway=pathway, package=definitions.packages()["mh_adults"], respondent=_respondent(session, pathway),
              number=3, text="Sove bedre")
    session.commit()
    browser.get(f"/i/{issued['self'].token}")

    refused = _write(browser, goal_1=typed, goal_2="Gå på skolen", goal_3="Sove bedre hver natt")

    page = _text(refused)
    assert refused.status_code == 422 and message in page and 'aria-invalid="true"' in page
    assert typed.replace("\x00", "\ufffd") in page or typed in page
    assert "Gå på skolen" in page and "Sove bedre hver natt" in page
    assert _goals(session, pathway) == {3: "Sove bedre"}


def test_goal_all_empty_is_refused_only_without_goals(session, at_decision, browser):
    pathway, issued = at_decision()
    browser.get(f"/i/{issued['self'].token}")

    refused = _write(browser, goal_1="", goal_2="   ", goal_3="")

    assert refused.status_code == 422 and "Write at least one goal, or choose “Skip this step” below." in _text(refused)
    assert 'href="#goal-1"' in refused.get_data(as_text=True) and _goals(session, pathway) == {}
    html = refused.get_data(as_text=True)
    going_back = browser.post("/survey/goals", {"csrf_token": csrf(html), "nav": "back", "goal_1": ""})
    assert going_back.status_code == 303  # going back with nothing written is no refusal


def test_goal_emptied_box_removes_the_goal_and_its_baseline(session, at_decision, browser):
    pathway, issued = at_decision()
    browser.get(f"/i/{issued['self'].token}")
    _write(browser, goal_1="Sove", goal_2="Trene", goal_3="")
    _rate(browser, rating_1="3", rating_2="6")

    assert _write(browser, goal_1="Sove", goal_2="", goal_3="").status_code == 303

    assert _goals(session, pathway) == {1: "Sove"}
    assert _ratings(session, "clinical_decision") == {1: 3}


def test_goal_skip_leads_to_review_and_submit_needs_no_goals(session, at_decision, browser):
    pathway, issued = at_decision()
    browser.get(f"/i/{issued['self'].token}")
    html = _text(browser.get("/survey/goals"))
    skipped = browser.post("/survey/goals", {"csrf_token": csrf(html), "nav": "skip", "goal_1": "Ikke lagre"})
    assert skipped.headers["Location"].endswith("/survey/review")

    assert browser.answer_pages(all_answered(0)) == "/survey/review"  # not offered again
    review = _text(browser.get("/survey/review"))
    assert "You chose to skip this step." in review and "Write your goals" in review
    assert browser.post("/survey/submit", browser.submit_form()).status_code == 303
    assert _goals(session, pathway) == {}


def test_goal_review_without_goals_says_they_are_optional(at_decision, browser):
    _pathway, issued = at_decision()
    browser.get(f"/i/{issued['self'].token}")
    review = _text(browser.get("/survey/review"))
    assert "You have not written any goals. Goals are optional." in review


def test_goal_child_and_parent_write_separately(session, at_decision, browser):
    pathway, issued = at_decision("mh_children", parent=True, birth_date=date(2012, 3, 1))
    browser.get(f"/i/{issued['self'].token}")
    assert _write(browser, goal_1="Ha venner i friminuttet").status_code == 303
    browser.get(f"/i/{issued['parent'].token}")
    assert "Ha venner" not in _text(browser.get("/survey/goals"))
    assert _write(browser, goal_1="Færre konflikter hjemme", goal_2="Mindre skolefravær").status_code == 303

    assert _goals(session, pathway, "self") == {1: "Ha venner i friminuttet"}
    assert _goals(session, pathway, "parent") == {1: "Færre konflikter hjemme", 2: "Mindre skolefravær"}


@pytest.fixture
def at_evaluation(session, at_decision):
    """Goals written and rated at the clinical decision (through the service functions); an evaluation now."""
    pathway, _issued = at_decision()
    package = definitions.packages()["mh_adults"]
    me = _respondent(session, pathway)
    decision = session.exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id,
                                                         MilestoneEvent.milestone_id == "clinical_decision")).one()
    for number, text in ((1, SECRET), (2, ARABIC)):
        goal = save_goal(pathway=pathway, package=package, respondent=me, number=number, text=text)
        rate_goal(goal=goal, event=decision, package=package, rating=2)
    registration = register_milestone(pathway=pathway, package=package, milestone_id="evaluation",
                                      occurred_at=datetime.now(UTC) - timedelta(minutes=5), by="dr",
                                      base_url=BASE_URL)
    session.commit()
    return pathway, registration.invitations[0]


def test_goal_rate_flow_at_an_evaluation(session, at_evaluation, browser):
    pathway, issued = at_evaluation
    browser.get(f"/i/{issued.token}")
    assert "Rate your goals" in _text(browser.get("/survey"))
    assert browser.get("/survey/goals").headers["Location"].endswith("/survey/goals/rating")
    page = _text(browser.get("/survey/goals/rating"))
    assert f'<bdi class="goal-text" dir="auto">{SECRET}</bdi>' in page
    assert len(re.findall(r'name="rating_1"', page)) == 11 and "not at all" in page

    assert _rate(browser, rating_1="7").headers["Location"].endswith("/survey/review")

    assert _ratings(session, "evaluation") == {1: 7}
    assert _ratings(session, "clinical_decision") == {1: 2, 2: 2}
    review = _text(browser.get("/survey/review"))
    assert "7 of 10" in review and "Not rated" in review and "Change your ratings" in review


def test_goal_rating_out_of_the_scale_is_refused(session, at_evaluation, browser):
    _pathway, issued = at_evaluation
    browser.get(f"/i/{issued.token}")

    refused = _rate(browser, rating_1="11", rating_2="5")

    assert refused.status_code == 422 and "Choose a number from 0 to 10." in _text(refused)
    assert _ratings(session, "evaluation") == {}


def test_goal_text_never_in_the_logs(at_evaluation, browser, caplog):
    _pathway, issued = at_evaluation
    caplog.set_level(logging.DEBUG)
    browser.get(f"/i/{issued.token}")
    browser.get("/survey/goals/rating")
    _rate(browser, rating_1="11")
    _rate(browser, rating_1="8", rating_2="9")
    browser.get("/survey/review")

    assert SECRET not in caplog.text and ARABIC not in caplog.text


def _reads(session, pathway) -> int:
    session.expire_all()
    return len(session.exec(select(AuditEvent).where(AuditEvent.action == "goal.read",
                                                     AuditEvent.pathway_id == pathway.id)).all())


def test_goal_read_for_display_is_audited(session, at_evaluation, browser):
    pathway, issued = at_evaluation
    browser.get(f"/i/{issued.token}")

    before = _reads(session, pathway)
    browser.get("/survey/goals/rating")
    assert _reads(session, pathway) == before + 1
    browser.get("/survey")  # the welcome page shows no goal text: no read
    assert _reads(session, pathway) == before + 1


def test_goal_refused_rating_keeps_its_audit_row_and_nothing_else(session, at_evaluation, browser):
    """The refused page (422) shows the goals again: that read is audited, though nothing else is kept."""
    pathway, issued = at_evaluation
    browser.get(f"/i/{issued.token}")
    form = browser.get("/survey/goals/rating").get_data(as_text=True)
    before = _reads(session, pathway)

    refused = browser.post("/survey/goals/rating", {"csrf_token": csrf(form), "nav": "next", "rating_1": "11",
                                                    "rating_2": "5"})

    assert refused.status_code == 422
    assert _reads(session, pathway) == before + 1
    assert _ratings(session, "evaluation") == {}


def test_goal_language_menu_keeps_what_was_typed(session, at_decision, browser):
    pathway, issued = at_decision()
    browser.get(f"/i/{issued['self'].token}")

    switched = _write(browser, nav="", lang="nn", goal_1="Sove heile natta")

    assert switched.headers["Location"].endswith("/survey/goals")
    assert _goals(session, pathway) == {1: "Sove heile natta"}
    page = _text(browser.get("/survey/goals"))
    assert '<html lang="nn"' in page and "Måla dine" in page and "Sove heile natta" in page


def test_goal_pages_refuse_a_post_without_its_csrf_token(session, at_decision, browser):
    pathway, issued = at_decision()
    browser.get(f"/i/{issued['self'].token}")

    assert browser.post("/survey/goals", {"nav": "next", "goal_1": "Sove"}).status_code == 400
    assert browser.post("/survey/goals/rating", {"nav": "next", "rating_1": "3"}).status_code == 400
    assert _goals(session, pathway) == {}
