"""A letter the renderer refuses (it asked for a URL) is a translated page in the clinic, and nothing is stored."""
from __future__ import annotations

import pytest
from sqlmodel import select

from clinic_helpers import csrf
from pro_service.letters import operations
from pro_service.letters.models import Letter
from pro_service.letters.operations import set_general_practitioner

LETTER = "/clinic/pathways/{pathway}/milestones/{event}/letter"


@pytest.fixture
def fetching_letter(session, seed, monkeypatch):
    seeded = seed()
    set_general_practitioner(patient=seeded.pathway.patient, name="Dr. Per Hansen", practice="Storgata legekontor",
                             language="en")
    session.commit()
    render_html = operations.render_html
    monkeypatch.setattr(operations, "render_html", lambda context: render_html(context).replace(
        "</body>", '<img src="http://127.0.0.1:9/tracker.png" alt=""></body>'))
    return LETTER.format(pathway=seeded.pathway.id, event=seeded.events["evaluation"])


@pytest.mark.parametrize("language", ["en", "nb"])
def test_pdf_preview_of_a_refused_letter_is_a_translated_page(client, login_as, fetching_letter, language):
    login_as("clinician", language=language)

    response = client.get(f"{fetching_letter}/preview.pdf")

    assert response.status_code == 500 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert {"en": "The letter could not be made", "nb": "Brevet kunne ikke lages"}[language] in page
    assert response.headers["X-Request-Id"] in page
    assert "127.0.0.1" not in page


def test_finalizing_a_refused_letter_stores_nothing(client, session, login_as, fetching_letter):
    login_as("clinician")

    response = client.post(f"{fetching_letter}/finalize", data={"csrf_token": csrf(client), "confirm": "y",
                                                                 "note": "Notat"})

    assert response.status_code == 500
    assert "The letter could not be made" in response.get_data(as_text=True)
    session.expire_all()
    assert session.exec(select(Letter)).all() == []
