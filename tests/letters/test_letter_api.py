import hashlib

import pytest
from sqlmodel import select

from pro_service.audit.models import AuditEvent
from pro_service.letters.operations import finalize_letter

BASE = "/api/v1"


@pytest.fixture
def bearer(session):
    from pro_service.auth.operations import create_api_client

    def make(unit):
        _client, token = create_api_client(name="DIPS test", units=(unit,))
        session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


def test_api_lists_a_pathways_letters_and_serves_the_finalized_bytes(client, session, make_unit,
                                                                     make_letter_pathway, bearer):
    pathway, events = make_letter_pathway()
    letter = finalize_letter(milestone_event_id=events["evaluation"].id, note="", by="dr-bakke")
    session.commit()
    auth = bearer(make_unit("OTHER", "DPS Annen"))
    own = bearer(_unit_of(session, pathway))

    listed = client.get(f"{BASE}/pathways/{pathway.id}/letters", headers=own)
    pdf = client.get(f"{BASE}/letters/{letter.id}.pdf", headers=own)

    assert listed.status_code == 200
    assert [(item["id"], item["version"], item["milestone"]) for item in listed.get_json()["letters"]] == [
        (letter.id, 1, "evaluation")]
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    assert hashlib.sha256(pdf.data).hexdigest() == letter.sha256
    session.expire_all()
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "letter.download")).one().actor_kind == "api_client"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "letters.read")).one().pathway_id == pathway.id
    assert client.get(f"{BASE}/letters/{letter.id}.pdf", headers=auth).status_code == 404
    assert client.get(f"{BASE}/pathways/{pathway.id}/letters", headers=auth).status_code == 404


def _unit_of(session, pathway):
    from pro_service.pathways.models import Unit

    return session.get(Unit, pathway.unit_id)
