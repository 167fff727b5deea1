"""Scheduling by age: the plan entry's and the instrument's own range; what is left out and why; process codes."""
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from pro_service import definitions
from pro_service.pathways import queries
from pro_service.pathways.eligibility import AGE_UNKNOWN, OUTSIDE_AGE, LeftOut, split_plan
from pro_service.pathways.models import RespondentRole
from pro_service.pathways.operations import add_respondent, register_milestone, start_pathway
from pro_service.pathways.pathway_extras import process_codes

BASE_URL = "https://pro.example.no"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _range(low=None, high=None):
    return SimpleNamespace(min=low, max=high)


def _entry(instrument, age=None, respondent="self"):
    return SimpleNamespace(instrument=instrument, respondent=respondent, age=age)


CATALOG = {"smfq_parent": SimpleNamespace(age=_range(6, 17)), "open": SimpleNamespace(age=None),
           "adult": SimpleNamespace(age=_range(18))}


@pytest.mark.parametrize(("age", "scheduled"), [
    (5, ["open"]), (6, ["smfq_parent", "open"]), (17, ["smfq_parent", "open"]), (18, ["open", "adult"]),
    (None, ["open"]),
])
def test_both_the_entry_and_the_instrument_range_must_cover_the_age(age, scheduled):
    entries = [_entry("smfq_parent", _range(None, 17), "parent"), _entry("open"), _entry("adult")]
    chosen, _left_out = split_plan(entries, age=age, catalog=CATALOG)
    assert [e.instrument for e in chosen] == scheduled


def test_what_is_left_out_says_why_and_which_ages_it_needs():
    entries = [_entry("smfq_parent", _range(None, 17), "parent"), _entry("adult")]
    assert split_plan(entries, age=4, catalog=CATALOG)[1] == (
        LeftOut(instrument="smfq_parent", respondent="parent", reason=OUTSIDE_AGE, age_min=6, age_max=17),
        LeftOut(instrument="adult", respondent="self", reason=OUTSIDE_AGE, age_min=18, age_max=None),
    )
    assert split_plan(entries, age=None, catalog=CATALOG)[1] == (
        LeftOut(instrument="smfq_parent", respondent="parent", reason=AGE_UNKNOWN, age_min=6, age_max=17),
        LeftOut(instrument="adult", respondent="self", reason=AGE_UNKNOWN, age_min=18, age_max=None),
    )


@pytest.fixture
def children(app):
    with app.app_context():
        return definitions.packages()["mh_children"]


def _detail(pathway, package):
    return queries.pathway_detail(pathway=pathway, package=package, now=T0 + timedelta(days=1),
                                  timezone="Europe/Oslo")


def test_no_smfq_parent_form_for_a_child_younger_than_smfq_is_validated_for(session, make_patient, children):
    patient = make_patient(birth_date=date(2022, 3, 1))  # 3 years old; the plan entry alone allows it (max 17)
    add_respondent(patient=patient, role=RespondentRole.PARENT, name="Mor")
    pathway, registration = start_pathway(patient=patient, package=children, started_at=T0, by="dr",
                                          base_url=BASE_URL)
    session.commit()

    assert registration.assessments == ()
    left_out = _detail(pathway, children).left_out
    assert [(x.instrument, x.respondent_role, x.reason, x.age_min, x.age_max) for x in left_out] == [
        ("smfq", "self", OUTSIDE_AGE, 11, 17), ("smfq_parent", "parent", OUTSIDE_AGE, 6, 17),
        ("core10", "self", OUTSIDE_AGE, 18, None)]


def test_a_patient_without_a_birth_date_gets_only_instruments_without_an_age_rule(session, make_patient, app):
    with app.app_context():
        adults = definitions.packages()["mh_adults"]
    pathway, registration = start_pathway(patient=make_patient(birth_date=None), package=adults, started_at=T0,
                                          by="dr", base_url=BASE_URL)
    session.commit()

    assert registration.assessments == ()  # every shipped instrument has an age range in its file
    left_out = _detail(pathway, adults).left_out
    assert {x.reason for x in left_out} == {AGE_UNKNOWN}
    assert {x.instrument for x in left_out} == {e.instrument for e in adults.plan_for("start")}


def test_the_standardised_tool_code_is_recorded_for_an_evaluation_with_an_answered_instrument(
        session, make_patient, children):
    patient = make_patient(birth_date=date(2012, 3, 1))
    pathway, _ = start_pathway(patient=patient, package=children, started_at=T0, by="dr", base_url=BASE_URL)
    first = register_milestone(pathway=pathway, package=children, milestone_id="evaluation",
                               occurred_at=T0 + timedelta(days=60), by="dr", base_url=BASE_URL)
    register_milestone(pathway=pathway, package=children, milestone_id="evaluation",
                       occurred_at=T0 + timedelta(days=120), by="dr", base_url=BASE_URL)
    smfq = next(a for a in first.assessments if a.instrument_id == "smfq")
    smfq.completed_at = T0 + timedelta(days=59)
    session.commit()

    codes = _detail(pathway, children).process_codes
    assert [(c.id, c.milestone, c.recorded, c.answered) for c in codes] == [
        ("standardised_tool", "evaluation", True, ("smfq",)), ("standardised_tool", "evaluation", False, ())]


def test_process_codes_need_an_answered_assessment_of_one_of_their_instruments():
    package = SimpleNamespace(process_codes=(SimpleNamespace(id="feedback_tool", code="U+F", milestone="end",
                                                             instruments=()),))
    events = [SimpleNamespace(id="e1", milestone_id="end", occurred_at=T0)]
    assessments = [SimpleNamespace(milestone_event="e1", instrument="phq9", completed_at=T0)]
    assert [c.recorded for c in process_codes(package=package, events=events, assessments=assessments)] == [False]
