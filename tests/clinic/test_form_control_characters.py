"""Every clinic form refuses control characters with one translated message and changes nothing; a note keeps
its line breaks."""
from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from sqlmodel import select

from clinic_helpers import csrf
from pro_service.letters.models import GeneralPractitioner, LetterDraft
from pro_service.letters.operations import set_general_practitioner
from pro_service.pathways.models import Pathway, Patient

NEW = "/clinic/pathways/new"
MESSAGE = "This field contains an invisible control character ({code}). Type the text again without it."


def new_pathway(client, unit, **changes) -> dict:
    data = {"csrf_token": csrf(client, NEW), "unit": unit.id, "external_id": "EPR-77", "name": "Siri Dahl",
            "birth_date": "1990-05-17", "language": "nn", "email": "siri@example.no", "phone": "",
            "package": "mh_adults", "started_on": (date.today() - timedelta(days=1)).isoformat(),
            "responsible_clinician": "Dr. Åse Bakke"}
    return {**data, **changes}


@pytest.mark.parametrize(("field", "char"), [
    ("name", "\x0c"), ("external_id", "\x00"), ("email", "\n"), ("phone", "\t"), ("responsible_clinician", "\x1b"),
    ("package", "\x9b"),
])
def test_new_pathway_refuses_a_control_character_in_any_field(client, session, make_unit, login_as, field, char):
    unit = make_unit()
    login_as("clinician", unit=unit)
    value = new_pathway(client, unit)[field] or "+47 900"

    response = client.post(NEW, data=new_pathway(client, unit, **{field: value[:2] + char + value[2:]}))

    assert response.status_code == 200
    assert MESSAGE.format(code=f"U+{ord(char):04X}") in html.unescape(response.get_data(as_text=True))
    session.expire_all()
    assert session.exec(select(Patient)).all() == [] and session.exec(select(Pathway)).all() == []


def test_the_message_is_in_the_clinicians_language(client, session, make_unit, login_as):
    unit = make_unit()
    login_as("clinician", unit=unit, language="nb")

    response = client.post(NEW, data=new_pathway(client, unit, name="Siri\x0c Dahl"))

    assert "Feltet inneholder et usynlig kontrolltegn (U+000C)" in response.get_data(as_text=True)


def test_the_gps_name_with_a_form_feed_is_refused(client, session, seed, login_as):
    seeded = seed()
    login_as("clinician")
    url = f"/clinic/pathways/{seeded.pathway.id}/general-practitioner"

    response = client.post(url, data={"csrf_token": csrf(client), "gp-name": "Dr.\x0c} Hansen",
                                      "gp-practice": "Storgata legekontor", "gp-language": "en"})

    assert response.status_code == 200 and "U+000C" in response.get_data(as_text=True)
    session.expire_all()
    assert session.exec(select(GeneralPractitioner)).all() == []


def test_a_letter_note_keeps_line_breaks_and_tabs_but_not_a_form_feed(client, session, seed, login_as):
    seeded = seed()
    set_general_practitioner(patient=seeded.pathway.patient, name="Dr. Per Hansen", practice="Storgata",
                             language="en")
    session.commit()
    login_as("clinician")
    url = f"/clinic/pathways/{seeded.pathway.id}/milestones/{seeded.events['evaluation']}/letter/draft"

    refused = client.post(url, data={"csrf_token": csrf(client), "note": "Line one\x0cLine two"})
    session.expire_all()
    assert refused.status_code == 200 and "U+000C" in refused.get_data(as_text=True)
    assert session.exec(select(LetterDraft)).all() == []

    kept = client.post(url, data={"csrf_token": csrf(client), "note": "Line one\r\n\tLine two"})
    session.expire_all()
    assert kept.status_code == 302
    assert session.exec(select(LetterDraft.note)).all() == ["Line one\r\n\tLine two"]


@pytest.mark.parametrize("path", ["/clinic/pathways/%00", "/clinic/?package=%00", "/clinic/quality?unit=%00",
                                  "/i/%00", "/i/abc%0c"])
def test_a_control_character_in_a_clinic_or_survey_address_is_a_400_page(client, login_as, path):
    login_as("clinician")

    response = client.get(path, headers={"Accept-Language": "en"})

    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Something was wrong with the request" in response.get_data(as_text=True)
