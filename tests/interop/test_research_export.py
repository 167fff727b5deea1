"""`pro-service export research`: pseudonymised rows, no names or dates, a data dictionary, audited, role-checked."""
from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from sqlmodel import select

from pro_service.audit.models import AuditEvent
from pro_service.auth.users import create_user
from pro_service.interop.research import age_band, columns

START = ("start", 0, {"phq9": 17, "gad7": 12, "core10": 20, "wsas": 18})
DECISION = ("clinical_decision", 30, {"phq9": 11, "gad7": 9, "core10": 14, "wsas": 12})
KEY_A = "a" * 64
KEY_B = "b" * 64
PERIOD = ("--from", "2026-01-01", "--to", "2026-02-28")


@pytest.fixture
def leader(session, make_unit):
    def make(unit, role="unit_leader", email="leader@example.no"):
        user, _password = create_user(email=email, name="Leder", unit=unit, role=role)
        session.commit()
        return user

    return make


@pytest.fixture
def key_file(tmp_path):
    def make(text=KEY_A, name="research.key"):
        path = tmp_path / name
        path.write_text(text + "\n", encoding="utf-8")
        return path

    return make


def _run(app, out, key, *extra, by="leader@example.no", period=PERIOD):
    return app.test_cli_runner().invoke(args=["export", "research", *period, "--out", str(out),
                                              "--key-file", str(key), "--by", by, *extra])


def _rows(out):
    with (out / "research.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_rows_name_no_patient_and_carry_no_dates(app, session, make_unit, make_pathway, leader, key_file, tmp_path):
    unit = make_unit()
    leader(unit)
    pathways = [make_pathway([START, DECISION], unit=unit), make_pathway([START], unit=unit)]

    result = _run(app, tmp_path / "out", key_file())

    assert result.exit_code == 0, result.output
    rows = _rows(tmp_path / "out")
    assert len(rows) == 12 and "Wrote 12 row(s)" in result.output
    identifying = set()
    for pathway in pathways:
        identifying |= {pathway.patient.name, pathway.patient.external_id, pathway.patient_id}
    for cells in rows:
        assert "submitted_on" not in cells
        for column, cell in cells.items():
            assert not any(secret in cell or cell == secret for secret in identifying), (column, cell)
            assert not any(secret in column for secret in identifying)
            for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S%z"):
                with pytest.raises(ValueError):
                    datetime.strptime(cell, fmt)
    phq9 = [r for r in rows if r["instrument"] == "phq9" and r["milestone"] == "clinical_decision"]
    assert [(r["days_since_start"], r["score"], r["age_band"], r["respondent_role"], r["unit"]) for r in phq9] == [
        ("30", "11", "35-39", "self", unit.code)]


def test_with_dates_adds_the_submission_day(app, session, make_unit, make_pathway, leader, key_file, tmp_path):
    unit = make_unit()
    leader(unit)
    make_pathway([START, DECISION], unit=unit)

    result = _run(app, tmp_path, key_file(), "--with-dates")

    assert result.exit_code == 0, result.output
    assert {r["submitted_on"] for r in _rows(tmp_path)} == {"2026-01-05", "2026-02-04"}


def test_pseudonyms_are_stable_per_key_and_differ_between_keys(app, session, make_unit, make_pathway, leader,
                                                               key_file, tmp_path):
    unit = make_unit()
    leader(unit)
    make_pathway([START, DECISION], unit=unit)
    make_pathway([START], unit=unit)

    first = _run(app, tmp_path / "1", key_file(KEY_A, "a.key"))
    again = _run(app, tmp_path / "2", key_file(KEY_A, "a2.key"))
    other = _run(app, tmp_path / "3", key_file(KEY_B, "b.key"))

    assert (first.exit_code, again.exit_code, other.exit_code) == (0, 0, 0)
    by_key = [[r["pseudonym"] for r in _rows(tmp_path / run)] for run in ("1", "2", "3")]
    assert by_key[0] == by_key[1]
    assert len(set(by_key[0])) == 2
    assert not set(by_key[0]) & set(by_key[2])


def test_only_submissions_in_the_period_are_exported(app, session, make_unit, make_pathway, leader, key_file,
                                                     tmp_path):
    unit = make_unit()
    leader(unit)
    make_pathway([START, DECISION], unit=unit)  # 2026-01-05 and 2026-02-04

    result = _run(app, tmp_path, key_file(), period=("--from", "2026-02-01", "--to", "2026-02-04"))

    assert result.exit_code == 0, result.output
    assert {r["milestone"] for r in _rows(tmp_path)} == {"clinical_decision"}


def test_a_unit_leader_exports_only_their_units(app, session, make_unit, make_pathway, leader, key_file, tmp_path):
    mine, other = make_unit("UNIT-A", "A"), make_unit("UNIT-B", "B")
    leader(mine)
    make_pathway([START], unit=mine)
    make_pathway([START], unit=other)

    result = _run(app, tmp_path, key_file())

    assert result.exit_code == 0, result.output
    assert {r["unit"] for r in _rows(tmp_path)} == {"UNIT-A"}


def test_every_export_is_audited_with_the_user_period_and_rows(app, session, make_unit, make_pathway, leader,
                                                               key_file, tmp_path):
    unit = make_unit()
    user = leader(unit)
    make_pathway([START], unit=unit)

    result = _run(app, tmp_path, key_file())

    assert result.exit_code == 0, result.output
    session.expire_all()
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "research.export")).all()
    assert [(e.actor_kind, e.actor_id, e.unit_id, e.patient_id, e.detail) for e in events] == [
        ("user", user.id, unit.id, None, "2026-01-01..2026-02-28 rows=4 dates=no format=csv")]


@pytest.mark.parametrize("role", ["clinician", None])
def test_refused_without_the_administrator_or_unit_leader_role(app, session, make_unit, make_pathway, leader,
                                                              key_file, tmp_path, role):
    unit = make_unit()
    if role:
        leader(unit, role=role)
    make_pathway([START], unit=unit)

    result = _run(app, tmp_path / "out", key_file())

    assert result.exit_code == 1
    assert ("may not export research data" if role else "no active user") in result.output
    assert not (tmp_path / "out").exists()
    session.expire_all()
    assert not session.exec(select(AuditEvent).where(AuditEvent.action == "research.export")).all()


def test_an_administrator_exports_every_unit(app, session, make_unit, make_pathway, leader, key_file, tmp_path):
    a, b = make_unit("UNIT-A", "A"), make_unit("UNIT-B", "B")
    leader(a, role="administrator")
    make_pathway([START], unit=a)
    make_pathway([START], unit=b)

    result = _run(app, tmp_path, key_file())

    assert result.exit_code == 0, result.output
    assert {r["unit"] for r in _rows(tmp_path)} == {"UNIT-A", "UNIT-B"}


def test_a_short_key_is_refused(app, session, make_unit, leader, key_file, tmp_path):
    leader(make_unit())

    result = _run(app, tmp_path / "out", key_file("x" * 31))

    assert result.exit_code == 2
    assert "at least 32 bytes" in result.output
    assert not (tmp_path / "out").exists()


def test_parquet_without_pyarrow_is_a_clear_error(app, session, make_unit, leader, key_file, tmp_path):
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        leader(make_unit())
        result = _run(app, tmp_path / "out", key_file(), "--format", "parquet")
        assert result.exit_code == 2
        assert "pyarrow" in result.output
    else:
        pytest.skip("pyarrow is installed")


def test_the_data_dictionary_lists_every_column(app, session, make_unit, make_pathway, leader, key_file,
                                                tmp_path):
    unit = make_unit()
    leader(unit)
    make_pathway([START], unit=unit)

    result = _run(app, tmp_path, key_file(), "--with-dates")

    assert result.exit_code == 0, result.output
    with (tmp_path / "research-dictionary.csv").open(encoding="utf-8", newline="") as handle:
        dictionary = list(csv.DictReader(handle))
    assert [d["column"] for d in dictionary] == list(_rows(tmp_path)[0])
    assert all(d["meaning"] and d["type"] for d in dictionary)
    assert {d["column"]: d["allowed values"] for d in dictionary}["respondent_role"] == (
        "other_relative|parent|self|teacher")


@pytest.mark.parametrize(("birth", "on", "band"), [
    (date(2010, 6, 1), date(2026, 5, 31), "15-19"),
    (date(2010, 6, 1), date(2025, 5, 31), "10-14"),
    (date(2010, 6, 1), date(2025, 6, 1), "15-19"),
    (date(2026, 1, 1), date(2026, 1, 1), "0-4"),
    (None, date(2026, 1, 1), ""),
])
def test_age_bands_are_five_years_wide(birth, on, band):
    assert age_band(birth, on) == band


def test_dates_are_a_column_only_when_asked_for():
    assert "submitted_on" not in [c.name for c in columns(with_dates=False)]
    assert "submitted_on" in [c.name for c in columns(with_dates=True)]


def test_parquet_holds_the_same_rows_as_the_csv(app, session, make_unit, make_pathway, leader, key_file, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    unit = make_unit()
    leader(unit)
    make_pathway([START, DECISION], unit=unit)

    as_csv = _run(app, tmp_path / "csv", key_file())
    as_parquet = _run(app, tmp_path / "parquet", key_file(), "--format", "parquet")

    assert (as_csv.exit_code, as_parquet.exit_code) == (0, 0), as_parquet.output
    table = pq.read_table(tmp_path / "parquet" / "research.parquet").to_pylist()
    rows = _rows(tmp_path / "csv")
    assert [(r["pseudonym"], r["days_since_start"], r["score"]) for r in table] == [
        (r["pseudonym"], int(r["days_since_start"]), float(r["score"])) for r in rows]


def test_a_day_out_of_range_is_a_usage_error(app, session, make_unit, leader, key_file, tmp_path):
    leader(make_unit())

    result = _run(app, tmp_path / "out", key_file(), period=("--from", "2026-01-01", "--to", "9999-12-31"))

    assert result.exit_code == 2 and "9999-12-31" in result.output
