"""Finalizing a letter is permanent (issue 13): the app asks for a tick first, warns of open alerts, and the
versions table names who finalized it, with the checksum one click away."""
from __future__ import annotations

from sqlmodel import select

from clinic_helpers import csrf
from pro_service.letters.models import Letter
from pro_service.letters.operations import set_general_practitioner


def _url(seeded, suffix: str = "") -> str:
    return f"/clinic/pathways/{seeded.pathway.id}/milestones/{seeded.events['evaluation']}/letter{suffix}"


def _with_gp(session, seeded):
    set_general_practitioner(patient=seeded.pathway.patient, name="Dr. Fastlege", practice="Legesenteret",
                             language="nb")
    session.commit()
    return seeded


def test_finalize_without_the_tick_is_refused_and_keeps_the_note(client, session, seeded, login_as):
    _with_gp(session, seeded)
    login_as("clinician")

    refused = client.post(_url(seeded, "/finalize"), data={"csrf_token": csrf(client), "note": "Mitt notat"})

    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Tick the box to confirm before the letter is finalized." in page
    assert 'class="error-summary"' in page and 'aria-invalid="true" aria-describedby="confirm-error"' in page
    assert "Mitt notat</textarea>" in page
    assert session.exec(select(Letter)).all() == []


def test_letter_page_warns_of_open_alerts_and_names_the_finalizer(client, session, seeded, login_as):
    _with_gp(session, seeded)
    user = login_as("clinician")

    before = client.get(_url(seeded)).get_data(as_text=True)
    done = client.post(_url(seeded, "/finalize"), data={"csrf_token": csrf(client), "confirm": "y", "note": ""})
    after = client.get(_url(seeded)).get_data(as_text=True)

    assert "2 critical alerts for this patient are still open." in before  # the seeded PHQ-9 and CORE-10 alerts
    assert '<input type="checkbox" id="confirm" name="confirm" value="y">' in before
    assert done.status_code == 302
    letter = session.exec(select(Letter)).one()
    versions = after.split('id="versions"')[1].split("</table>")[0]
    assert f"<td>{user.name}</td>" in versions and user.email not in versions
    assert f"<summary>Checksum</summary><code class=\"link-text\">SHA-256 {letter.sha256}</code>" in versions
