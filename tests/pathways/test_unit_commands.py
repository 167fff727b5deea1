from sqlmodel import select

from pro_service.pathways.models import Unit


def test_units_create_adds_a_unit_with_its_contact_details(app, session):
    result = app.test_cli_runner().invoke(args=["units", "create", "DPS-NORD", "DPS Nord, poliklinikk",
                                                "--phone", "22 00 00 00", "--email", "post@dps.example"])

    assert result.exit_code == 0, result.output
    assert "DPS-NORD" in result.output
    [unit] = session.exec(select(Unit)).all()
    assert (unit.code, unit.name, unit.phone, unit.email) == ("DPS-NORD", "DPS Nord, poliklinikk", "22 00 00 00",
                                                              "post@dps.example")


def test_units_create_refuses_a_code_in_use(app, session, make_unit):
    make_unit("DPS-NORD", "First")

    result = app.test_cli_runner().invoke(args=["units", "create", "DPS-NORD", "Second"])

    assert result.exit_code == 1 and "already exists" in result.output
    assert [u.name for u in session.exec(select(Unit)).all()] == ["First"]
