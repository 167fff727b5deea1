"""The report through the CLI and the API: the contract, suppression, units, audit and bad input."""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from pro_service.audit.models import AuditEvent

BASE = "/api/v1/reports/outcomes"


@pytest.fixture
def five_paired(make_pathway, make_unit):
    """Six ended adult pathways: five improve on PHQ-9 (20 → 8), one deteriorates (6 → 14)."""
    unit = make_unit()
    for before, after in [(20, 8)] * 5 + [(6, 14)]:
        make_pathway([("start", 0, None), ("first_consultation", 10, None),
                      ("clinical_decision", 40, {"phq9": before, "gad7": 5}),
                      ("end", 120, {"phq9": after, "gad7": 5})], unit=unit)
    return unit


def _token(session, unit) -> dict[str, str]:
    from pro_service.auth.operations import create_api_client

    _client, token = create_api_client(name="DIPS", units=[unit])
    session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api_token(session, five_paired):
    return _token(session, five_paired)


@pytest.fixture
def bare_token(session, make_unit):
    """A token for a unit with no pathways: enough to test what the API refuses."""
    return _token(session, make_unit())


def test_the_api_answers_the_contract_with_small_counts_suppressed(client, api_token, session):
    answer = client.get(f"{BASE}?from=2026-01-01&to=2026-12-31", headers=api_token)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert (body["from"], body["to"], body["suppressed"]) == ("2026-01-01", "2026-12-31", True)
    (group,) = body["groups"]
    assert (group["unit"], group["package"], group["pathways_started"], group["pathways_ended"]) == (
        "ABUP-OSLO", "mh_adults", 6, 6)
    phq9 = next(o for o in group["outcomes"] if o["instrument"] == "phq9" and o["scale"] == "total")
    assert (phq9["eligible"], phq9["paired"], phq9["no_reliable_change"], phq9["n"]) == (6, 6, 0, 6)
    # 1 deteriorated is suppressed, and so are the 5 improved: 6 − 0 − 5 would reveal it.
    assert (phq9["reliably_deteriorated"], phq9["reliably_improved"], phq9["pct_reliably_improved"]) == (
        None, None, None)
    assert phq9["cases_at_start"] == 5 and phq9["recovered"] == 5 and phq9["mean_change"] == pytest.approx(-8.67, 0.01)
    assert phq9["sum_change"] == -52 and phq9["sum_sq_change"] == 5 * 144 + 64
    both = next(o for o in group["outcomes"] if o["instrument"] == "phq9+gad7")
    assert both["scale"] == "combined" and both["paired"] == 6
    assert [p["time_limit"] for p in group["process"]] == ["clinical_decision"]
    assert session.scalars(select(AuditEvent.action).where(AuditEvent.action == "report.outcomes")).all() == [
        "report.outcomes"]


def test_the_api_shows_only_the_tokens_units(client, session, five_paired, make_unit, make_pathway):
    from pro_service.auth.operations import create_api_client

    other = make_unit(code="DPS-BERGEN", name="DPS Bergen")
    _client, token = create_api_client(name="Other EPR", units=[other])
    session.commit()
    body = client.get(f"{BASE}?from=2026-01-01&to=2026-12-31", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["groups"] == []


@pytest.mark.parametrize(("query", "path"), [
    ("to=2026-12-31", "from"), ("from=2026-13-01&to=2026-12-31", "from"), ("from=2026-12-31&to=2026-01-01", "(body)"),
    ("from=2026-01-01&to=2026-12-31&package=nope", "package"), ("from=2026-01-01&to=2026-12-31&x=1", "x"),
    ("from=2026-01-01&from=2026-02-01&to=2026-12-31", "from"), ("from=1990-01-01&to=2200-12-31", "(body)"),
    ("from=0001-01-01&to=9999-12-31", "from"),
])  # a control character in the query is refused before parsing: tests/api/test_api_control_characters.py
def test_bad_queries_are_422_problems_naming_the_parameter(client, bare_token, query, path):
    answer = client.get(f"{BASE}?{query}", headers=bare_token)
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert any(error["path"] == path for error in answer.get_json()["errors"]), answer.get_json()


def test_the_api_needs_a_token(client):
    assert client.get(f"{BASE}?from=2026-01-01&to=2026-12-31").status_code == 401


def test_the_cli_writes_json_csv_and_a_table(app, five_paired):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    phq9 = next(o for o in doc["groups"][0]["outcomes"] if o["instrument"] == "phq9" and o["scale"] == "total")
    assert phq9["recovered"] == 5 and phq9["reliably_deteriorated"] is None
    csv_out = runner.invoke(args=["report", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31",
                                  "--unit", "ABUP-OSLO", "--package", "D11", "--format", "csv"]).output
    line = next(row for row in csv_out.splitlines() if row.startswith("outcome,ABUP-OSLO,mh_adults,,6,6,,,,,phq9,total"))
    assert ",< 5," in line
    wsas = next(row for row in csv.DictReader(io.StringIO(csv_out)) if row["instrument"] == "wsas")
    # WSAS has no reliable-change basis: its counts are blank by definition, not "< 5" as if suppressed.
    assert (wsas["reliable_change_classified"], wsas["reliably_improved"], wsas["paired"]) == ("False", "", "6")
    table = runner.invoke(args=["report", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31",
                                "--by", "package"]).output
    assert "mh_adults · all units" in table and "phq9 total" in table and "100 %" in table


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-01-01", "--to", "2025-12-31"], "must not be before --from"),
    (["--from", "2026-01-01", "--to", "2026-12-31", "--unit", "NOPE"], "no unit NOPE"),
    (["--from", "2026-01-01", "--to", "2026-12-31", "--package", "X42"], "no package 'X42'"),
    (["--from", "2026-1-32", "--to", "2026-12-31"], "Invalid value for '--from'"),
])
def test_the_cli_refuses_bad_input_with_exit_2(app, make_unit, args, message):
    make_unit()
    result = app.test_cli_runner().invoke(args=["report", "outcomes", *args])
    assert result.exit_code == 2 and message in result.output


def test_merging_two_installations_exports(app, five_paired, tmp_path):
    runner = app.test_cli_runner()
    out = runner.invoke(args=["report", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"])
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(out.output, encoding="utf-8")
    doc = json.loads(out.output)
    doc["groups"][0]["unit"] = "DPS-BERGEN"
    second.write_text(json.dumps(doc), encoding="utf-8")
    merged = runner.invoke(args=["report", "merge", str(first), str(second), "--by", "package", "--format", "json"])
    assert merged.exit_code == 0, merged.output
    (group,) = json.loads(merged.output)["groups"]
    phq9 = next(o for o in group["outcomes"] if o["instrument"] == "phq9" and o["scale"] == "total")
    assert (group["unit"], phq9["paired"], phq9["recovered"], phq9["reliably_deteriorated"]) == (None, 12, 10, None)
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert runner.invoke(args=["report", "merge", str(bad)]).exit_code == 2
    bad.write_text('{"format": "other"}', encoding="utf-8")
    refused = runner.invoke(args=["report", "merge", str(bad)])
    assert refused.exit_code == 1 and "not an outcome report document" in refused.output


def test_an_undeclared_method_is_405_with_allow(client, bare_token):
    answer = client.open(f"{BASE}?from=2026-01-01&to=2026-12-31", method="TRACE", headers=bare_token)
    assert answer.status_code == 405 and "GET" in answer.headers["Allow"]


@pytest.mark.parametrize("package", ["", "mh adults", "D11!", "x" * 61])
def test_a_malformed_package_is_refused_before_any_lookup(client, bare_token, package):
    answer = client.get(BASE, query_string={"from": "2026-01-01", "to": "2026-12-31", "package": package},
                        headers=bare_token)
    assert answer.status_code == 422 and answer.get_json()["errors"][0]["path"] == "package"
