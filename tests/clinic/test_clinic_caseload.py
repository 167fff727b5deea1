"""The caseload: what needs attention per open pathway, in a constant number of queries."""
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from clinic_helpers import BASE_URL, TOTALS
from pro_service import db, definitions
from pro_service.pathways.models import Alert, Response, Score, Unit
from pro_service.pathways.operations import register_milestone, register_patient, start_pathway


def fill(session, unit, count: int, *, first: int = 0) -> None:
    """`count` open pathways, each with milestones, assessments, invitations, a scored PHQ-9 and an open alert.

    Patients and pathways go through the operations; the answers are inserted
    directly, which is faster and reads the same to the caseload.
    """
    package = definitions.packages()["mh_adults"]
    now = datetime.now(UTC)
    for number in range(first, first + count):
        patient, _ = register_patient(unit=unit, external_id=f"Q-{number}", name=f"Patient {number:04d}",
                                      birth_date=date(1980, 2, 1))
        pathway, _ = start_pathway(patient=patient, package=package, by="dr", base_url=BASE_URL,
                                   started_at=now - timedelta(days=60))
        register_milestone(pathway=pathway, package=package, milestone_id="first_consultation",
                           occurred_at=now - timedelta(days=50), by="dr", base_url=BASE_URL)
        [phq9] = [a for a in pathway.assessments if a.instrument_id == "phq9"]
        response = Response(assessment_id=phq9.id, language="nb", instrument_version="1.0", answers={},
                            submitted_at=now - timedelta(days=59))
        session.add(response)
        session.flush()
        session.add(Score(response_id=response.id, scale_id="total", value=18, band="moderately_severe",
                          caseness=True))
        phq9.status = "completed"
        session.add(Alert(pathway_id=pathway.id, unit_id=unit.id, assessment_id=phq9.id, item=9, value=1,
                          created_at=now - timedelta(days=2)))
    session.commit()


def count_queries(app, client, url: str) -> tuple[int, str]:
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine(app)
    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_caseload_queries_do_not_grow_with_the_caseload(app, client, session, make_unit, login_as):
    unit = make_unit()
    login_as("clinician", unit=unit)
    fill(session, unit, 5)
    small, html = count_queries(app, client, "/clinic/")
    assert len(re.findall(r'href="/clinic/pathways/[0-9a-f]{32}"', html)) == 5

    fill(session, unit, 495, first=5)
    large, html = count_queries(app, client, "/clinic/")

    assert len(re.findall(r'href="/clinic/pathways/[0-9a-f]{32}"', html)) == 500
    assert small == large


def test_caseload_shows_milestone_limits_alerts_nonresponse_and_change(client, session, seed, login_as):
    seeded = seed()
    login_as("clinician")

    html = client.get("/clinic/").get_data(as_text=True)

    assert f'href="/clinic/pathways/{seeded.pathway.id}"' in html
    assert "EPR-1" not in html  # no patient identifier in a link or anywhere on the list
    assert "Evaluation" in html  # the latest milestone
    assert '<span class="change-instrument">PHQ-9</span>' in html  # the abbreviation; the patient is implied
    assert "<th scope=\"col\">Change since baseline</th>" in html
    # 18 → 7 from the clinical decision: the latest score, its band, the signed change and the mark
    assert '<strong class="change-score" title="Mild">7</strong><span class="visually-hidden"> (Mild)</span>' in html
    assert '<span aria-hidden="true">↓</span> −11</span>' in html
    assert 'title="Recovered" aria-hidden="true">✓✓</span><span class="visually-hidden">Recovered</span>' in html
    assert 'title="Deteriorated" aria-hidden="true">!</span>' in html
    assert "Clinical decision: Missed" not in html  # a met or missed limit is history, not a warning
    # PHQ-9 item 9 and CORE-10 item 6, answered 26 hours ago: past the 24 hours, so highlighted
    assert 'class="alert-count alert-count--urgent">2<' in html


def test_caseload_shows_no_change_before_the_baseline_is_registered(client, session, seed, login_as):
    seed(registered=())  # only the start, answered: PHQ-9 12
    login_as("clinician")

    html = client.get("/clinic/").get_data(as_text=True)

    assert '<span class="muted">No baseline yet (Clinical decision not registered)</span>' in html
    assert "category--" not in html


def test_caseload_shows_no_change_while_the_baseline_milestone_is_unanswered(client, session, seed, login_as):
    seed(registered=("clinical_decision",), answered={"start": TOTALS["start"]})
    login_as("clinician")

    html = client.get("/clinic/").get_data(as_text=True)

    assert '<span class="muted">No baseline yet (Clinical decision not answered)</span>' in html
    assert "category--" not in html


def test_caseload_with_only_the_baseline_says_so(client, session, seed, login_as):
    seed(registered=("clinical_decision",))
    login_as("clinician")

    html = client.get("/clinic/").get_data(as_text=True)

    # A quiet dash, its words for screen readers
    assert html.count('<span class="muted" title="Only the baseline so far"><span aria-hidden="true">–</span>') == 4


@pytest.mark.parametrize(("hours", "highlighted"), [(0, False), (23, False), (25, True)])
def test_unacknowledged_alerts_are_urgent_at_once_and_say_so_after_the_setting(app, client, session, seed, login_as,
                                                                             hours, highlighted):
    seed()
    for alert in session.exec(select(Alert)).all():
        alert.created_at = datetime.now(UTC) - timedelta(hours=hours)
    session.commit()
    login_as("clinician")

    html = client.get("/clinic/").get_data(as_text=True)

    assert app.config["SETTINGS"].alert_highlight_hours == 24
    assert 'class="attention-0 row--urgent"' in html  # from the moment the alert is raised
    assert '2 open alerts</a>' in html
    assert ("Unacknowledged since" in html) is highlighted


@pytest.mark.parametrize(("query", "shown"), [
    ("", {"Kari Nordmann", "Ola Nordmann"}),
    ("?alerts=1", {"Kari Nordmann"}),
    ("?package=tsb", set()),
    ("?package=mh_adults&overdue=1", {"Ola Nordmann"}),
])
def test_caseload_filters(client, session, seed, login_as, query, shown):
    seeded = seed()
    # Ola: first consultation 60 days ago and no clinical decision, so its 42-day limit is overdue.
    package = definitions.packages()["mh_adults"]
    now = datetime.now(UTC)
    unit = session.get(Unit, seeded.pathway.unit_id)
    ola, _ = register_patient(unit=unit, external_id="EPR-2", name="Ola Nordmann", birth_date=date(1980, 2, 1))
    pathway, _ = start_pathway(patient=ola, package=package, by="dr", base_url=BASE_URL,
                               started_at=now - timedelta(days=70))
    register_milestone(pathway=pathway, package=package, milestone_id="first_consultation",
                       occurred_at=now - timedelta(days=60), by="dr", base_url=BASE_URL)
    session.commit()
    login_as("clinician")

    html = client.get(f"/clinic/{query}").get_data(as_text=True)

    assert {name for name in ("Kari Nordmann", "Ola Nordmann") if f">{name}</a>" in html} == shown


def test_an_ended_pathway_leaves_the_caseload_unless_asked_for(client, session, seed, login_as):
    seeded = seed()
    package = definitions.packages()[seeded.pathway.package_id]
    register_milestone(pathway=seeded.pathway, package=package, milestone_id="end", occurred_at=datetime.now(UTC),
                       by="dr", base_url=BASE_URL)
    session.commit()
    login_as("clinician")

    default = client.get("/clinic/").get_data(as_text=True)
    with_ended = client.get("/clinic/?ended=1").get_data(as_text=True)

    assert ">Kari Nordmann</a>" not in default and "0 open pathways" in default
    assert ">Kari Nordmann</a>" in with_ended and "1 pathway" in with_ended
    assert 'id="ended" name="ended" value="1" checked' in with_ended


def test_caseload_sorts_by_oldest_alert(client, seed, make_unit, login_as):
    unit = make_unit()
    seed(unit, external_id="EPR-2", name="Anne Ås", answered={})
    seed(unit)
    login_as("clinician")

    by_name = client.get("/clinic/?sort=name").get_data(as_text=True)
    by_alert = client.get("/clinic/?sort=alerts").get_data(as_text=True)

    assert by_name.index("Anne Ås") < by_name.index("Kari Nordmann")
    assert by_alert.index("Kari Nordmann") < by_alert.index("Anne Ås")


def test_caseload_puts_open_alerts_first_then_overdue_limits_then_the_rest(client, session, seed, make_unit,
                                                                          login_as):
    unit = make_unit()
    seed(unit, external_id="EPR-2", name="Anne Ås", answered={})  # no alert
    seed(unit, external_id="EPR-3", name="Zacharias Zeta")  # alerts raised now
    for alert in session.exec(select(Alert)).all():
        alert.created_at = datetime.now(UTC)
    package = definitions.packages()["mh_adults"]
    now = datetime.now(UTC)
    ola, _ = register_patient(unit=unit, external_id="EPR-4", name="Ola Nordmann", birth_date=date(1980, 2, 1))
    pathway, _ = start_pathway(patient=ola, package=package, by="dr", base_url=BASE_URL,
                               started_at=now - timedelta(days=70))
    register_milestone(pathway=pathway, package=package, milestone_id="first_consultation",
                       occurred_at=now - timedelta(days=60), by="dr", base_url=BASE_URL)  # 42-day limit overdue
    session.commit()
    login_as("clinician")

    html = client.get("/clinic/").get_data(as_text=True)

    assert html.index(">Zacharias Zeta</a>") < html.index(">Ola Nordmann</a>") < html.index(">Anne Ås</a>")
    assert 'value="attention" selected' in html
