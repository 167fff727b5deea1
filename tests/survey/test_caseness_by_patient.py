"""The stored caseness uses the patient's sex and age when the answers were given (issue 12).

The outcome report counts "case at start" from ``Score.caseness``, so a woman's
AUDIT of 7 must be stored as a case, and a man's as not, with the cut-off used.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.pathways.models import Assessment, Response, Score
from pro_service.pathways.operations import start_pathway, update_patient_sex
from pro_service.pathways.patient_facts import age_in_years, facts
from pro_service.survey.operations import enter_paper_response

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
AUDIT_7 = {1: 1, 2: 1, 3: 1, 4: 4, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0}   # total 7, AUDIT-C 3


def _stored_audit(session, make_patient, *, sex, birth_date, external_id="EPR-1"):
    patient = make_patient(external_id=external_id, birth_date=birth_date, sex=sex)
    pathway, _ = start_pathway(patient=patient, package=definitions.packages()["tsb"], started_at=NOW, by="test",
                               base_url="http://localhost")
    assessment = session.exec(select(Assessment).where(Assessment.pathway_id == pathway.id,
                                                       Assessment.instrument_id == "audit")).one()
    enter_paper_response(assessment=assessment, instrument=definitions.catalog()["audit"], language="en",
                         answers=AUDIT_7, by="test", now=NOW)
    session.commit()
    rows = session.exec(select(Score).join(Response).where(Response.assessment_id == assessment.id)).all()
    return {row.scale_id: (row.value, row.caseness, row.threshold) for row in rows}


@pytest.mark.parametrize(("sex", "birth_date", "total", "audit_c"), [
    ("female", date(1990, 5, 17), (7, True, 7), (3, True, 3)),
    ("male", date(1990, 5, 17), (7, False, 8), (3, False, 4)),
    (None, date(1990, 5, 17), (7, False, 8), (3, False, 4)),
    ("male", date(1960, 11, 26), (7, True, 7), (3, False, 4)),    # 66 on the day of the answers
    ("male", date(1960, 11, 27), (7, False, 8), (3, False, 4)),    # 66 tomorrow
])
def test_stored_caseness_uses_the_patients_sex_and_age(session, make_patient, sex, birth_date, total, audit_c):
    stored = _stored_audit(session, make_patient, sex=sex, birth_date=birth_date)
    assert stored["total"] == total
    assert stored["audit_c"] == audit_c


def test_sex_can_be_recorded_later_and_scores_after_it_use_it(session, make_patient):
    patient = make_patient(sex=None)
    update_patient_sex(patient=patient, sex="female")
    session.commit()
    assert patient.sex == "female"
    update_patient_sex(patient=patient, sex=None)
    assert patient.sex is None


@pytest.mark.parametrize(("born", "on", "years"), [
    (date(2000, 2, 29), date(2026, 2, 28), 25),
    (date(2000, 2, 29), date(2026, 3, 1), 26),
    (date(1960, 11, 26), date(2026, 11, 26), 66),
    (date(1960, 11, 27), date(2026, 11, 26), 65),
])
def test_age_in_whole_years_turns_on_the_birthday(born, on, years):
    assert age_in_years(born, on) == years


def test_no_birth_date_gives_no_age_so_no_age_rule_applies():
    assert facts(sex="male", birth_date=None, on=date(2026, 1, 1)).age is None


def test_a_birth_date_after_the_answers_gives_no_age():
    assert facts(sex="male", birth_date=date(2030, 1, 1), on=date(2026, 1, 1)).age is None
