"""`pro-service patients sex UNIT EXTERNAL_ID SEX` records the administrative sex, audited."""
import pytest
from sqlmodel import select

from pro_service.audit.models import AuditEvent
from pro_service.pathways.models import Patient


@pytest.mark.parametrize(("given", "stored"), [("female", "female"), ("male", "male"), ("other", "other"),
                                                ("unknown", "unknown"), ("none", None)])
def test_the_command_records_the_sex(app, session, make_patient, given, stored):
    patient = make_patient(sex="male")
    result = app.test_cli_runner().invoke(args=["patients", "sex", "ABUP-OSLO", "EPR-1", given])
    assert result.exit_code == 0, result.output
    assert result.output == f"Patient EPR-1 in ABUP-OSLO: sex {given}.\n"
    session.expire_all()
    assert session.get(Patient, patient.id).sex == stored
    events = session.exec(select(AuditEvent).where(AuditEvent.patient_id == patient.id)).all()
    assert [(e.action, e.detail) for e in events] == [("patient.sex_changed", given)]


@pytest.mark.parametrize(("args", "message"), [
    (["NOPE", "EPR-1", "female"], "unknown unit 'NOPE'"),
    (["ABUP-OSLO", "EPR-9", "female"], "no patient 'EPR-9' in unit ABUP-OSLO"),
    (["ABUP-OSLO", "EPR-1", "F"], "Invalid value for 'SEX'"),
])
def test_the_command_refuses_what_it_cannot_record(app, session, make_patient, args, message):
    make_patient()
    result = app.test_cli_runner().invoke(args=["patients", "sex", *args])
    assert result.exit_code != 0
    assert message in result.output
    session.expire_all()
    assert session.exec(select(Patient)).one().sex is None
