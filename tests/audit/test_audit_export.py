import csv
import io
from datetime import UTC, datetime

from sqlmodel import select

from pro_service.audit.models import AuditEvent
from pro_service.auth.users import create_user


def test_audit_export_lists_who_saw_the_patient_in_oslo_time(app, session, make_unit, make_patient):
    unit = make_unit()
    patient = make_patient(unit=unit, external_id="EPR-7")
    stranger = make_patient(unit=unit, external_id="EPR-8")
    user, _ = create_user(email="lege@example.no", name="Dr. Lege", unit=unit, role="clinician")
    session.add_all([
        AuditEvent(at=datetime(2026, 6, 1, 8, 0, tzinfo=UTC), actor_kind="user", actor_id=user.id,
                   action="pathway.read", patient_id=patient.id, pathway_id="p" * 32, unit_id=unit.id),
        AuditEvent(at=datetime(2026, 1, 1, 8, 0, tzinfo=UTC), actor_kind="system", action="letter.generated",
                   patient_id=patient.id, unit_id=unit.id),
        AuditEvent(at=datetime(2026, 2, 1, 8, 0, tzinfo=UTC), actor_kind="user", actor_id=user.id,
                   action="pathway.read", patient_id=stranger.id, unit_id=unit.id),
    ])
    session.commit()

    result = app.test_cli_runner().invoke(args=["audit", "export", "--patient", "EPR-7"])

    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.output))) == [
        ["time", "actor", "action", "pathway"],
        ["2026-01-01T09:00:00+01:00", "system", "letter.generated", ""],
        ["2026-06-01T10:00:00+02:00", "Dr. Lege <lege@example.no>", "pathway.read", "p" * 32],
    ]


def test_audit_export_records_that_it_was_run(app, session, make_patient):
    patient = make_patient(external_id="EPR-7")

    app.test_cli_runner().invoke(args=["audit", "export", "--patient", "EPR-7"])
    again = app.test_cli_runner().invoke(args=["audit", "export", "--patient", "EPR-7"])

    assert again.output.splitlines()[1].split(",")[1:] == ["system", "audit.export", ""]
    assert len(session.exec(select(AuditEvent).where(AuditEvent.patient_id == patient.id)).all()) == 2


def test_audit_export_needs_the_unit_when_the_id_is_in_two(app, session, make_unit, make_patient):
    make_patient(unit=make_unit("DPS-A", "A"), external_id="EPR-7")
    make_patient(unit=make_unit("DPS-B", "B"), external_id="EPR-7")
    runner = app.test_cli_runner()

    ambiguous = runner.invoke(args=["audit", "export", "--patient", "EPR-7"])
    named = runner.invoke(args=["audit", "export", "--patient", "EPR-7", "--unit", "DPS-B"])
    unknown = runner.invoke(args=["audit", "export", "--patient", "EPR-404"])

    assert ambiguous.exit_code == 1 and "name one with --unit" in ambiguous.output
    assert named.exit_code == 0 and named.output.startswith("time,actor,action,pathway\n")
    assert unknown.exit_code == 1 and "no such patient" in unknown.output
