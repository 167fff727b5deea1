"""A response page says which AUDIT items a skip rule left out, and what was answered to them and set aside."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from pro_service import definitions
from pro_service.pathways.models import Assessment, Response
from pro_service.pathways.operations import start_pathway
from pro_service.survey.operations import enter_paper_response


def test_skipped_items_read_as_not_asked_with_any_earlier_answer(client, session, make_unit, make_patient, login_as):
    unit = make_unit()
    login_as("clinician", unit)
    pathway, _registration = start_pathway(patient=make_patient(unit=unit), package=definitions.packages()["tsb"], by="dr",
                                           base_url="https://pro.example.no",
                                           started_at=datetime.now(UTC) - timedelta(days=1))
    audit = session.exec(select(Assessment).where(Assessment.pathway_id == pathway.id,
                                                  Assessment.instrument_id == "audit")).one()
    instrument = definitions.catalog()["audit"]
    enter_paper_response(assessment=audit, instrument=instrument, language="en", answers={1: 0, 2: 3, 9: 0, 10: 1},
                         by="dr", now=datetime.now(UTC))
    session.commit()
    response = session.exec(select(Response).where(Response.assessment_id == audit.id)).one()
    assert (response.answers, response.set_aside) == ({"1": 0, "9": 0, "10": 1}, {"2": 3})

    page = client.get(f"/clinic/responses/{response.id}").get_data(as_text=True)

    rows = {number: page.split(f'<th scope="row">{number}</th>')[1].split("</tr>")[0] for number in (1, 2, 3, 9)}
    assert "Never (0)" in rows[1]
    assert ("Not asked (an earlier answer skips it); answered 7, 8 or 9 (3) before that answer changed, not scored"
            in rows[2])
    assert "Not asked (an earlier answer skips it)</td>" in rows[3]
    assert "Yes, but not in the last year" not in rows[9] and "No (0)" in rows[9]
