from datetime import date, timedelta

import pytest
from sqlalchemy import event as sa_event

from pro_service import db
from pro_service.letters.context import LetterContext, LetterError, letter_context
from tests.letters.conftest import MILESTONES, START


def test_letter_context_holds_plain_data_for_a_seeded_pathway(make_letter_pathway):
    _pathway, events = make_letter_pathway(language="en")

    context = letter_context(milestone_event_id=events["evaluation"].id, note="  Continues weekly sessions.  ")

    assert isinstance(context, LetterContext)
    assert (context.patient.name, context.patient.birth_date) == ("Ola Nordmann", date(1990, 5, 17))
    assert (context.gp.name, context.gp.practice, context.language) == ("Dr. Per Hansen", "Storgata legekontor", "en")
    assert (context.unit.name, context.clinician) == ("BUP Oslo", "Dr. Åse Bakke")
    assert (context.package, context.milestone) == ("Mental disorders – adults (Norwegian national patient pathway)",
                                                    "Evaluation")
    assert context.milestone_date == date(2026, 6, 30)
    assert context.note == "Continues weekly sessions."
    assert context.baseline_text.startswith("Change is measured since “Clinical decision” on April 1, 2026: "
                                            "from the first score at or after it (the baseline) to the latest")
    assert context.final is False
    by_instrument = {result.instrument: result for result in context.results}
    phq9 = by_instrument["Patient Health Questionnaire (PHQ-9)"]
    assert (phq9.baseline.value, phq9.baseline.band, phq9.latest.value, phq9.latest.band) == (
        17, "Moderately severe", 8, "Mild")
    assert phq9.respondent == "the patient"
    assert phq9.category == "recovered"
    assert phq9.category_text.startswith("Recovered: reliably better")
    assert "at least 6 points" in phq9.basis and "10 or more" in phq9.basis
    assert phq9.chart_svg.startswith("<svg") and ">19<" in phq9.chart_svg and ">8<" in phq9.chart_svg  # start: history
    gad7 = by_instrument["Generalized Anxiety Disorder scale (GAD-7)"]
    assert (gad7.baseline.value, gad7.latest.value, gad7.category) == (14, 13, "unchanged")
    assert context.alerts == ()


def test_letter_at_the_baseline_milestone_has_only_the_baseline(make_letter_pathway):
    _pathway, events = make_letter_pathway(language="en")

    context = letter_context(milestone_event_id=events["clinical_decision"].id, note="")

    assert context.baseline_text.startswith("These are the baseline scores: later letters measure change from")
    phq9 = next(r for r in context.results if "PHQ-9" in r.instrument)
    assert (phq9.baseline.value, phq9.latest, phq9.category) == (17, None, None)
    assert phq9.category_text == "Only the baseline so far; change is shown from the next score."
    assert ">19<" in phq9.chart_svg and ">17<" in phq9.chart_svg and ">8<" not in phq9.chart_svg


def test_letter_with_the_clinical_decision_unanswered_counts_from_the_first_evaluation(make_letter_pathway):
    milestones = (*MILESTONES, ("evaluation", START + timedelta(days=150)))
    _pathway, events = make_letter_pathway(language="en", milestones=milestones,
                                           scores={"phq9": (19, None, 12, 8)})
    last_evaluation = letter_context(milestone_event_id=events["evaluation"].id, note="")

    phq9 = last_evaluation.results[0]
    assert (phq9.baseline.value, phq9.latest.value, phq9.category) == (12, 8, "unchanged")  # from the start: recovered


def test_letter_before_the_clinical_decision_shows_no_change(make_letter_pathway):
    _pathway, events = make_letter_pathway(language="en", milestones=(MILESTONES[0], MILESTONES[2]),
                                           scores={"phq9": (19, 8)})

    context = letter_context(milestone_event_id=events["evaluation"].id, note="")

    phq9 = context.results[0]
    assert (phq9.baseline, phq9.latest.value, phq9.category) == (None, 8, None)  # the latest as history, no change
    assert phq9.category_text == "No baseline yet, so no change is shown."
    assert "“Clinical decision”, which has not been registered yet" in context.baseline_text


@pytest.mark.parametrize(("end_score", "final"), [(5, 5), (None, 8)], ids=["end-answered", "end-unanswered"])
def test_end_letter_compares_the_baseline_with_the_final_score(make_letter_pathway, end_score, final):
    milestones = (*MILESTONES, ("end", START + timedelta(days=180)))
    _pathway, events = make_letter_pathway(language="en", milestones=milestones,
                                           scores={"phq9": (19, 17, 8, end_score)})

    context = letter_context(milestone_event_id=events["end"].id, note="")

    phq9 = context.results[0]
    assert (context.final, phq9.baseline.value, phq9.latest.value) == (True, 17, final)
    assert "to the final score, at the end of the pathway or else at the last evaluation" in context.baseline_text


def test_letter_context_is_in_the_gps_language(make_letter_pathway):
    _pathway, events = make_letter_pathway(language="nn")

    context = letter_context(milestone_event_id=events["clinical_decision"].id, note="")

    assert (context.language, context.milestone) == ("nn", "Klinisk avgjerd")
    assert context.results[0].respondent == "pasienten"
    assert "1. april 2026" in context.baseline_text  # the baseline's date as the GP reads dates


def test_letter_context_uses_a_constant_number_of_queries(app, make_letter_pathway, session):
    def count_queries(event_id: str) -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa_event.listen(db.engine(app), "before_cursor_execute", listener)
        try:
            session.expire_all()
            letter_context(milestone_event_id=event_id, note="")
        finally:
            sa_event.remove(db.engine(app), "before_cursor_execute", listener)
        return len(statements)

    _pathway, events = make_letter_pathway(milestones=(("start", events_at(0)), ("clinical_decision", events_at(30))))
    short = count_queries(events["clinical_decision"].id)
    _pathway, long_events = make_letter_pathway(external_id="EPR-2")
    assert count_queries(long_events["evaluation"].id) == short == 3


def test_letter_context_refuses_a_patient_without_gp(make_letter_pathway):
    _pathway, events = make_letter_pathway(gp=False)

    with pytest.raises(LetterError, match="no GP"):
        letter_context(milestone_event_id=events["evaluation"].id, note="")


def events_at(days: int):
    from datetime import timedelta

    from tests.letters.conftest import START

    return START + timedelta(days=days)
