"""The quality page: who may read it, for which units, the figures on hand-computed pathways, suppression, input."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from pro_service.audit.models import AuditEvent

YEAR = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
CD, END = "clinical_decision", "end"
PHQ9 = "Patient Health Questionnaire (PHQ-9)"


def improved(make_pathway, unit):
    """PHQ-9 18 → 6 (reliably improved, recovered), GAD-7 14 → 5 (improved, recovered)."""
    return make_pathway([("start", 0, None), ("first_consultation", 10, None), (CD, 40, {"phq9": 18, "gad7": 14}),
                         (END, 160, {"phq9": 6, "gad7": 5})], unit=unit)


def unchanged(make_pathway, unit):
    """PHQ-9 16 → 15, GAD-7 12 → 11: no reliable change, still a case."""
    return make_pathway([("start", 0, None), ("first_consultation", 10, None), (CD, 40, {"phq9": 16, "gad7": 12}),
                         (END, 160, {"phq9": 15, "gad7": 11})], unit=unit)


@pytest.fixture
def units(make_unit, make_pathway):
    """Unit A: five improved and five unchanged; unit B: five improved; unit C: three improved."""
    a, b, c = make_unit("ABUP-OSLO", "BUP Oslo"), make_unit("DPS-BERGEN", "DPS Bergen"), make_unit("DPS-TROMSO",
                                                                                                     "DPS Tromsø")
    for _ in range(5):
        improved(make_pathway, a)
        unchanged(make_pathway, a)
        improved(make_pathway, b)
    for _ in range(3):
        improved(make_pathway, c)
    return a, b, c


def page(client, **args):
    response = client.get("/clinic/quality", query_string={**YEAR, **args}, headers={"Accept-Language": "en"})
    return response, response.get_data(as_text=True)


def facts(html: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))


def outcome_row(html: str, name: str) -> list[str]:
    row = re.search(rf'<th scope="row">{re.escape(name)}</th>(.*?)</tr>', html, re.S).group(1)
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_a_clinician_gets_403(client, login_as, units):
    login_as("clinician", unit=units[0])
    assert client.get("/clinic/quality").status_code == 403


def test_the_navigation_offers_quality_to_leaders_only(client, login_as, units):
    login_as("clinician", unit=units[0])
    assert "/clinic/quality" not in client.get("/clinic/").get_data(as_text=True)
    login_as("unit_leader", unit=units[0])
    assert 'href="/clinic/quality"' in client.get("/clinic/").get_data(as_text=True)


def test_a_unit_leader_sees_the_figures_of_their_unit_only(client, login_as, units):
    a, b, _c = units
    login_as("unit_leader", unit=a)
    response, html = page(client)
    assert response.status_code == 200
    assert facts(html) == {"Pathways started": "10", "Pathways ended": "10"}
    # 10 paired of 10 ended; PHQ-9: 5 improved, 5 unchanged, none worse; 10 cases at start, 5 recovered.
    assert outcome_row(html, PHQ9)[:7] == ["Patient", "10 / 10 (100%)", "50%", "50%", "0%", "50%", "50%"]
    assert "DPS Bergen" not in html and b.id not in html
    assert "Clinical decision within 42 days of first consultation" in html


def test_another_units_data_never_appears_even_when_asked_for(client, login_as, units):
    login_as("unit_leader", unit=units[0])
    response, html = page(client, unit=units[1].id)
    assert response.status_code == 400
    assert "Choose one of your units, or all of them." in html
    assert "Pathways started" not in html


def test_an_administrator_sees_every_unit(client, login_as, units):
    a, b, c = units
    login_as("administrator", unit=a)
    _response, html = page(client)
    assert facts(html) == {"Pathways started": "18", "Pathways ended": "18"}
    assert "DPS Bergen" in html and "DPS Tromsø" in html
    _response, html = page(client, unit=b.id)
    assert outcome_row(html, PHQ9)[:3] == ["Patient", "5 / 5 (100%)", "100%"]


def test_small_numbers_show_as_fewer_than_five(client, login_as, units):
    login_as("unit_leader", unit=units[2])
    _response, html = page(client)
    assert facts(html) == {"Pathways started": "&lt; 5", "Pathways ended": "&lt; 5"}
    phq9 = outcome_row(html, PHQ9)
    assert phq9[1] == "&lt; 5 / &lt; 5 (&lt; 5)"
    assert set(phq9[2:7]) == {"&lt; 5"}
    assert "Too few to show" in html


def test_the_chart_and_its_help_are_on_the_page(client, login_as, units):
    login_as("unit_leader", unit=units[0])
    _response, html = page(client)
    svg = re.search(rf'>{re.escape(PHQ9)} – Patient</p>\s*(<svg[^>]*chart--stacked.*?</svg>)', html, re.S).group(1)
    assert 'role="img"' in svg
    # The two equal halves of PHQ-9's paired pathways, and completeness written out.
    assert svg.count(">50%<") >= 2 and "Paired: 10 of 10 (100%)" in svg
    assert "What is “paired”?" in html and "How to read this chart" in html
    # Ended in Q2, so the year's trend has quarters, each with its table.
    assert "chart--trend" in html and '<th scope="row">2026-Q2</th>' in html


def test_reading_the_page_is_audited_without_a_patient(client, login_as, session, units):
    login_as("unit_leader", unit=units[0])
    page(client)
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "report.outcomes")).all()
    assert [(e.unit_id, e.patient_id) for e in events] == [(units[0].id, None)]


@pytest.mark.parametrize(("args", "message"), [
    ({"start": "2026-05-01", "end": "2026-01-01"}, "The period must end on or after the day it starts."),
    ({"start": "1.5.2026"}, "Enter the date as YYYY-MM-DD."),
    ({"start": ""}, "For a custom period, enter both dates as YYYY-MM-DD."),
    ({"period": "1999-Q1"}, "Choose a quarter or a custom period."),
    ({"package": "nope"}, "Choose a package from the list."),
    ({"role": "boss"}, "Choose a respondent from the list."),
])
def test_bad_input_gets_a_plain_message_and_nothing_else(client, login_as, units, args, message):
    login_as("unit_leader", unit=units[0])
    response, html = page(client, **args)
    assert response.status_code == 400
    assert message in html
    assert "Pathways started" not in html


def test_the_default_period_is_the_last_complete_quarter(client, login_as, units):
    login_as("unit_leader", unit=units[0])
    html = client.get("/clinic/quality", headers={"Accept-Language": "en"}).get_data(as_text=True)
    selected = re.search(r'<option selected value="([^"]+)"|<option value="([^"]+)" selected', html)
    assert re.fullmatch(r"\d{4}-Q[1-4]", selected.group(1) or selected.group(2))
