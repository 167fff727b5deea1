import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from pro_service.audit.models import AuditEvent
from pro_service.letters.context import LetterError
from pro_service.letters.models import Letter, LetterImmutable
from pro_service.letters.operations import correct_letter, download_letter, finalize_letter, letters_due
from pro_service.letters.queries import letters_of
from tests.letters.conftest import START


def test_finalized_letter_is_stored_immutably_and_downloads_byte_identical(make_letter_pathway, session):
    pathway, events = make_letter_pathway()
    letter = finalize_letter(milestone_event_id=events["evaluation"].id, note="Første notat", by="dr-bakke")
    session.commit()
    stored = bytes(letter.pdf)

    assert (letter.version, letter.supersedes_id, letter.language) == (1, None, "nb")
    assert letter.sha256 == hashlib.sha256(stored).hexdigest()
    session.expire_all()
    assert download_letter(letter=session.get(Letter, letter.id)) == stored
    session.commit()
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "letter.download")).one()
    assert (audit.patient_id, audit.pathway_id) == (pathway.patient_id, pathway.id)

    letter.note = "changed"
    with pytest.raises(LetterImmutable):
        session.flush()
    session.rollback()
    with pytest.raises(LetterImmutable):
        session.delete(session.get(Letter, letter.id))
        session.flush()
    session.rollback()
    with pytest.raises(LetterError, match="already finalized"):
        finalize_letter(milestone_event_id=events["evaluation"].id, note="again", by="dr-bakke")


def test_correction_is_a_new_version_that_references_the_old(make_letter_pathway, session):
    pathway, events = make_letter_pathway()
    first = finalize_letter(milestone_event_id=events["evaluation"].id, note="Feil dose", by="dr-bakke")
    session.commit()

    second = correct_letter(letter=first, note="Riktig dose", by="dr-bakke")
    session.commit()

    assert (second.version, second.supersedes_id, second.note) == (2, first.id, "Riktig dose")
    assert session.get(Letter, first.id).note == "Feil dose"
    listed = letters_of(pathway.id).letters
    assert [(item.id, item.version, item.superseded) for item in listed] == [(first.id, 1, True), (second.id, 2, False)]
    with pytest.raises(LetterError, match="already corrected"):
        correct_letter(letter=first, note="again", by="dr-bakke")


def test_letters_due_are_letter_milestones_without_a_finalized_letter(make_letter_pathway, session):
    _pathway, events = make_letter_pathway()
    now = START + timedelta(days=200)

    assert [e.id for e in letters_due(now)] == [events["clinical_decision"].id, events["evaluation"].id]
    finalize_letter(milestone_event_id=events["clinical_decision"].id, note="", by="dr-bakke")
    session.commit()
    assert [e.id for e in letters_due(now)] == [events["evaluation"].id]
    assert letters_due(START + timedelta(days=60)) == []
