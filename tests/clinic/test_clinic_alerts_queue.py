"""The alerts queue (issue 13): grouped by patient, each card with its age, the unit's phone and the pathway's link;
the nav counts open alerts on every clinic page."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from pro_service.clinic.alerts_context import age
from pro_service.i18n import force_locale
from pro_service.pathways.models import Alert


def test_alert_age_reads_in_the_largest_whole_unit(app):
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    with app.test_request_context(), force_locale("en"):
        assert age(now - timedelta(minutes=3), now) == "3 minutes ago"
        assert age(now - timedelta(seconds=20), now) == "just now"
        assert age(now - timedelta(hours=5, minutes=59), now) == "5 hours ago"
        assert age(now - timedelta(days=3, hours=1), now) == "3 days ago"


def test_queue_groups_by_patient_with_age_phone_and_pathway_link(client, session, seed, make_unit, login_as):
    unit = make_unit()
    kari = seed(unit)
    anne = seed(unit, external_id="EPR-2", name="Anne Ås")
    for alert in session.exec(select(Alert)).all():
        alert.created_at = datetime.now(UTC) - timedelta(hours=2)
    session.commit()
    login_as("clinician")

    html = client.get("/clinic/alerts").get_data(as_text=True)

    assert html.count('<section class="alert-group"') == 2
    kari_group = html.split(f'href="/clinic/pathways/{kari.pathway.id}">Kari Nordmann</a>')[1].split("alert-group")[0]
    assert "2 open alerts" in kari_group and kari_group.count('class="alert-card"') == 2
    assert "Unit phone: 22 00 00 00" in kari_group and "2 hours ago" in kari_group
    assert f'href="/clinic/pathways/{anne.pathway.id}">Open the pathway</a>' in html


def test_nav_counts_open_alerts(client, session, seeded, login_as):
    login_as("clinician")

    html = client.get("/clinic/").get_data(as_text=True)

    assert '<span class="nav-count">2<span class="visually-hidden"> open alerts</span></span>' in html
