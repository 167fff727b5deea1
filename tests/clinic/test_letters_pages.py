"""GP-letter pages: preview (HTML, PDF), draft note, finalize, download, correct; the GP's details; unit checks."""
import hashlib
import html
import io

import pypdf
import pytest
from sqlmodel import select

from clinic_helpers import csrf
from pro_service.audit.models import AuditEvent
from pro_service.letters.models import GeneralPractitioner, Letter, LetterDraft
from pro_service.letters.operations import set_general_practitioner
from pro_service.pathways.models import Unit

LETTER = "/clinic/pathways/{pathway}/milestones/{event}/letter"


@pytest.fixture
def with_gp(session, seeded):
    """The seeded pathway (Kari Nordmann, PHQ-9 18 → 12 → 7) with a GP who reads English."""
    set_general_practitioner(patient=seeded.pathway.patient, name="Dr. Per Hansen", practice="Storgata legekontor",
                             language="en", address="Storgata 1, 0155 Oslo", her_id="123456")
    session.commit()
    return seeded


def url(seeded, suffix: str = "", milestone: str = "evaluation") -> str:
    return LETTER.format(pathway=seeded.pathway.id, event=seeded.events[milestone]) + suffix


def letters(session, seeded) -> list[Letter]:
    session.expire_all()
    return list(session.exec(select(Letter).where(Letter.pathway_id == seeded.pathway.id).order_by(Letter.version)))


def audit_actions(session, seeded) -> list[str]:
    session.expire_all()
    return [a.action for a in session.exec(select(AuditEvent).where(AuditEvent.pathway_id == seeded.pathway.id))]


ROUTES = [
    ("get", ""), ("get", "/preview.pdf"), ("get", "/versions/1.pdf"),
    ("post", "/draft"), ("post", "/finalize"), ("post", "/correct"),
]


@pytest.mark.parametrize(("method", "suffix"), ROUTES)
def test_another_units_clinician_gets_404_on_every_letter_route(client, session, make_unit, login_as, with_gp,
                                                                 method, suffix):
    from pro_service.letters.operations import finalize_letter
    finalize_letter(milestone_event_id=with_gp.events["evaluation"], note="", by="dr")
    session.commit()
    login_as("clinician", unit=make_unit("DPS-B", "DPS B"))
    data = {"csrf_token": csrf(client), "note": "x"}

    response = client.get(url(with_gp, suffix)) if method == "get" else client.post(url(with_gp, suffix), data=data)

    assert response.status_code == 404
    assert [letter.version for letter in letters(session, with_gp)] == [1]
    assert audit_actions(session, with_gp) == []


def test_another_units_clinician_cannot_set_the_gp(client, session, make_unit, login_as, with_gp):
    login_as("clinician", unit=make_unit("DPS-B", "DPS B"))
    response = client.post(f"/clinic/pathways/{with_gp.pathway.id}/general-practitioner", data={
        "csrf_token": csrf(client), "gp-name": "Dr. Evil", "gp-practice": "X", "gp-language": "nb"})

    assert response.status_code == 404
    session.expire_all()
    assert session.exec(select(GeneralPractitioner.name)).all() == ["Dr. Per Hansen"]


def test_a_start_event_or_another_pathways_event_has_no_letter_page(client, session, login_as, seed, with_gp):
    login_as("clinician")
    other = seed(unit=session.get(Unit, with_gp.pathway.unit_id), external_id="EPR-2", name="Ola Nordmann")

    assert client.get(url(with_gp, milestone="start")).status_code == 404
    assert client.get(LETTER.format(pathway=with_gp.pathway.id, event=other.events["evaluation"])).status_code == 404


def test_letter_page_previews_the_letter_with_patient_name_and_scores(client, session, login_as, with_gp):
    login_as("clinician")

    page = client.get(url(with_gp)).get_data(as_text=True)

    assert "Kari Nordmann" in page and "Dr. Per Hansen" in page
    preview = page.split('class="letter-preview"', 1)[1]
    assert 'lang="en"' in page.split('class="letter-preview"', 1)[0][-40:] + preview[:40]
    assert "PHQ-9" in preview
    assert "18 –" in preview and "7 –" in preview  # first and latest PHQ-9 totals, each with its band
    assert "Recovered" in preview
    assert "<style" not in preview and "<h1" not in preview  # CSP-safe, headings under the page's own
    assert "letter.read" in audit_actions(session, with_gp)


def test_pdf_preview_is_a_fresh_pdf_and_stores_nothing(client, session, login_as, with_gp):
    login_as("clinician")

    response = client.get(url(with_gp, "/preview.pdf"))

    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"].startswith("inline")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert "Kari Nordmann" in text
    assert letters(session, with_gp) == []
    assert "letter.previewed" in audit_actions(session, with_gp)


def test_draft_note_is_kept_and_shown_in_the_preview(client, session, login_as, with_gp):
    login_as("clinician")

    note = "Fortsetter <b>samtaler</b>"
    response = client.post(url(with_gp, "/draft"), data={"csrf_token": csrf(client), "note": note})

    assert response.status_code == 302
    session.expire_all()
    assert session.exec(select(LetterDraft.note)).all() == ["Fortsetter <b>samtaler</b>"]
    page = client.get(url(with_gp)).get_data(as_text=True)
    assert page.count("Fortsetter &lt;b&gt;samtaler&lt;/b&gt;") == 2  # textarea and preview, escaped
    assert letters(session, with_gp) == []


def test_finalize_stores_bytes_and_hash_and_download_is_byte_identical_and_audited(client, session, login_as,
                                                                                   with_gp):
    user = login_as("clinician")
    client.post(url(with_gp, "/draft"), data={"csrf_token": csrf(client), "note": "Utkast"})

    response = client.post(url(with_gp, "/finalize"), data={"csrf_token": csrf(client), "confirm": "y",
                                                                "note": "Endelig notat"})

    assert response.status_code == 302
    [letter] = letters(session, with_gp)
    assert (letter.version, letter.supersedes_id, letter.note, letter.finalized_by) == (1, None, "Endelig notat",
                                                                                        user.email)
    assert letter.sha256 == hashlib.sha256(letter.pdf).hexdigest()
    assert session.exec(select(LetterDraft)).all() == []  # the draft became the letter

    download = client.get(url(with_gp, "/versions/1.pdf"))

    assert download.status_code == 200
    assert download.data == bytes(letter.pdf)
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('-v1.pdf"')
    assert "Kari" not in disposition and "Nordmann" not in disposition and "EPR" not in disposition
    session.expire_all()
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "letter.download")).one()
    assert (audit.pathway_id, audit.actor_id) == (with_gp.pathway.id, user.id)
    assert f"letter {letter.id} version 1" == audit.detail
    page = client.get(url(with_gp)).get_data(as_text=True)
    assert "Finalized, version 1" in page and "Finalize a correction" in page


def test_second_finalize_is_refused_with_an_error_summary(client, session, login_as, with_gp):
    login_as("clinician")
    client.post(url(with_gp, "/finalize"), data={"csrf_token": csrf(client), "confirm": "y", "note": "Først"})

    response = client.post(url(with_gp, "/finalize"),
                           data={"csrf_token": csrf(client), "confirm": "y", "note": "Igjen"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in page and "already finalized" in page
    assert [letter.note for letter in letters(session, with_gp)] == ["Først"]


def test_correct_makes_version_2_referencing_version_1(client, session, login_as, with_gp):
    login_as("clinician")
    client.post(url(with_gp, "/finalize"), data={"csrf_token": csrf(client), "confirm": "y", "note": "Feil dose"})

    response = client.post(url(with_gp, "/correct"), data={"csrf_token": csrf(client), "confirm": "y", "note": "Riktig dose"})

    assert response.status_code == 302
    first, second = letters(session, with_gp)
    assert (second.version, second.supersedes_id, second.note) == (2, first.id, "Riktig dose")
    assert (first.version, first.note) == (1, "Feil dose")
    assert client.get(url(with_gp, "/versions/1.pdf")).data == bytes(first.pdf)
    assert client.get(url(with_gp, "/versions/2.pdf")).data == bytes(second.pdf)
    page = client.get(url(with_gp)).get_data(as_text=True)
    assert "Corrects version 1" in page and "Replaced by a correction" in page
    pathway_page = client.get(f"/clinic/pathways/{with_gp.pathway.id}").get_data(as_text=True)
    assert "Finalized, version 2" in pathway_page
    assert "letter.corrected" in audit_actions(session, with_gp)


def test_correct_before_finalize_is_refused(client, session, login_as, with_gp):
    login_as("clinician")

    response = client.post(url(with_gp, "/correct"), data={"csrf_token": csrf(client), "confirm": "y", "note": "x"})

    assert "There is no finalized letter to correct yet." in response.get_data(as_text=True)
    assert letters(session, with_gp) == []


def test_finalize_without_a_gp_shows_an_error_summary(client, session, login_as, seeded):
    login_as("clinician")

    page = html.unescape(client.get(url(seeded)).get_data(as_text=True))
    response = client.post(url(seeded, "/finalize"), data={"csrf_token": csrf(client), "confirm": "y", "note": ""})

    assert "The letter can be previewed once the GP's details are saved." in page
    failed = html.unescape(response.get_data(as_text=True))
    assert 'class="error-summary"' in failed
    assert "Register the GP's details on the pathway page before finalizing the letter." in failed
    assert letters(session, seeded) == []


def test_finalize_without_csrf_token_changes_nothing(client, session, login_as, with_gp):
    login_as("clinician")

    response = client.post(url(with_gp, "/finalize"), data={"note": "x"})

    assert response.status_code == 400
    assert letters(session, with_gp) == []


def test_pathway_page_lists_letter_status_per_letter_milestone(client, session, login_as, with_gp):
    login_as("clinician")
    client.post(url(with_gp, "/draft", milestone="clinical_decision"), data={"csrf_token": csrf(client), "note": "n"})
    client.post(url(with_gp, "/finalize"), data={"csrf_token": csrf(client), "confirm": "y", "note": ""})

    page = client.get(f"/clinic/pathways/{with_gp.pathway.id}").get_data(as_text=True)
    section = page.split('id="letters"', 1)[1].split('id="gp-title"', 1)[0]

    assert section.count("Open the letter") == 2  # clinical decision and evaluation; start has no letter
    assert "Draft note saved" in section
    assert "Finalized, version 1, by clinician-1@example.no" in section
    assert url(with_gp) in section and url(with_gp, "/versions/1.pdf") in section
    assert "Storgata legekontor" in page


def test_gp_form_sets_and_changes_the_gp(client, session, login_as, seeded):
    login_as("clinician")
    form = {"gp-name": "Dr. Lise Lund", "gp-practice": "Fjordlegene", "gp-language": "nn", "gp-address": "Kaia 2"}

    response = client.post(f"/clinic/pathways/{seeded.pathway.id}/general-practitioner",
                           data={"csrf_token": csrf(client), **form})

    assert response.status_code == 302
    session.expire_all()
    gp = session.exec(select(GeneralPractitioner)).one()
    assert (gp.name, gp.practice, gp.language, gp.address) == ("Dr. Lise Lund", "Fjordlegene", "nn", "Kaia 2")
    client.post(f"/clinic/pathways/{seeded.pathway.id}/general-practitioner",
                data={"csrf_token": csrf(client), **form, "gp-language": "da", "gp-address": ""})
    session.expire_all()
    gp = session.exec(select(GeneralPractitioner)).one()
    assert (gp.language, gp.address) == ("da", None)
    assert audit_actions(session, seeded).count("patient.gp_set") == 2


@pytest.mark.parametrize(("change", "message"), [
    ({"gp-language": "sv"}, "Choose the language the GP reads: bokmål, nynorsk, Danish or English."),
    ({"gp-name": " "}, "Enter the GP's name."),
    ({"gp-practice": ""}, "Enter the GP's practice."),
])
def test_gp_form_validation_shows_a_message_and_changes_nothing(client, session, login_as, with_gp, change, message):
    login_as("clinician")
    form = {"gp-name": "Dr. Ny", "gp-practice": "Ny praksis", "gp-language": "nb", "gp-address": "", **change}

    response = client.post(f"/clinic/pathways/{with_gp.pathway.id}/general-practitioner",
                           data={"csrf_token": csrf(client), **form})

    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert 'class="error-summary"' in page and message in page
    session.expire_all()
    gp = session.exec(select(GeneralPractitioner)).one()
    assert (gp.name, gp.practice, gp.language, gp.her_id) == ("Dr. Per Hansen", "Storgata legekontor", "en", "123456")
