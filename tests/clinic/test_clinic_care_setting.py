"""The pathway page says where the patient is treated and, for a package with an inpatient time limit, changes it."""
from __future__ import annotations

from sqlmodel import select

from clinic_helpers import csrf
from pro_service.audit.models import AuditEvent
from pro_service.pathways.models import Pathway


def _page(client, pathway) -> str:
    return client.get(f"/clinic/pathways/{pathway.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_tsb_pathway_is_moved_to_an_inpatient_unit_and_its_deadline_follows(client, session, login_as,
                                                                              make_pathway, make_unit):
    unit = make_unit()
    pathway = make_pathway([("start", 0, None), ("first_consultation", 1, None)], package="tsb", unit=unit)
    login_as("clinician", unit=unit)
    before = _page(client, pathway)
    assert "Outpatient clinic" in before and 'action="/clinic/pathways/%s/care-setting"' % pathway.id in before

    response = client.post(f"/clinic/pathways/{pathway.id}/care-setting",
                           data={"csrf_token": csrf(client), "care_setting": "inpatient"})

    assert response.status_code == 303
    session.expire_all()
    assert session.get(Pathway, pathway.id).care_setting == "inpatient"
    after = _page(client, pathway)
    assert "The time limits follow." in after and '<dd id="care-setting">Inpatient unit' in after
    actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.pathway_id == pathway.id))]
    assert "pathway.care_setting_changed" in actions


def test_an_unknown_setting_is_refused_and_changes_nothing(client, session, login_as, make_pathway, make_unit):
    unit = make_unit()
    pathway = make_pathway([("start", 0, None)], package="tsb", unit=unit)
    login_as("clinician", unit=unit)

    response = client.post(f"/clinic/pathways/{pathway.id}/care-setting",
                           data={"csrf_token": csrf(client), "care_setting": "day_ward"})

    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Pathway, pathway.id).care_setting == "outpatient"


def test_a_package_without_an_inpatient_limit_shows_the_setting_without_a_form(client, login_as, make_pathway,
                                                                               make_unit):
    unit = make_unit()
    pathway = make_pathway([("start", 0, None)], unit=unit)
    login_as("clinician", unit=unit)
    page = _page(client, pathway)
    assert "Outpatient clinic" in page and "/care-setting" not in page


def test_another_units_pathway_is_not_found(client, session, login_as, make_pathway, make_unit):
    pathway = make_pathway([("start", 0, None)], package="tsb", unit=make_unit("DPS-B", "DPS B"))
    login_as("clinician", unit=make_unit())

    response = client.post(f"/clinic/pathways/{pathway.id}/care-setting",
                           data={"csrf_token": csrf(client), "care_setting": "inpatient"})

    assert response.status_code == 404
    session.expire_all()
    assert session.get(Pathway, pathway.id).care_setting == "outpatient"
