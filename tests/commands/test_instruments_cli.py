"""The CLI contract EPR scripts and acceptance tests rely on (issue 3 §4).

Success: JSON on stdout. Failure: one line on stderr, exit status 2, nothing on stdout.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pro_service.commands.instruments import COMMANDS, change, instruments, score

PHQ9 = Path(__file__).resolve().parents[2] / "surveys" / "instruments" / "phq9.yaml"


def run(command, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(command, list(args), env=env)


def assert_fails(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_commands_are_exposed_for_the_top_level_group():
    assert [command.name for command in COMMANDS] == ["score", "change", "instruments"]


def test_score_prints_the_json_contract():
    result = run(score, "phq9", *"111111111")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["scales"]["total"].pop("threshold") == {
        "value": 10, "basis": "caseness ≥ 10 (Kroenke 2001: a score of 10 or more has 88% sensitivity and 88%"
                              " specificity for major depression)"}
    assert data.pop("screens") == {}
    assert data == {
        "instrument": "phq9",
        "version": "1.0",
        "scales": {"total": {"score": 9, "band": "mild", "caseness": False, "missing": 0, "skipped": [],
                             "prorated": False}},
        "critical": [{"item": 9, "value": 1}],
    }


def test_score_takes_a_dash_for_a_missing_answer():
    result = run(score, "phq9", "3", "3", "3", "3", "2", "2", "2", "-", "-")
    total = json.loads(result.stdout)["scales"]["total"]
    assert total.pop("threshold")["value"] == 10
    assert total == {
        "score": 23, "band": "severe", "caseness": True, "missing": 2, "skipped": [], "prorated": True,
    }
    # Item 9 unanswered: nobody has ruled out thoughts of self-harm, so it is listed with no value.
    assert json.loads(result.stdout)["critical"] == [{"item": 9, "value": None}]


@pytest.mark.parametrize(("args", "message"), [
    (("nosuch", "1"), "unknown instrument 'nosuch' (known: "),
    (("../phq9", "1"), "unknown instrument '../phq9' (known: "),
    (("phq9", "1", "1"), "phq9 has 9 items; got 2 answers"),
    (("phq9", *"1111111111"), "phq9 has 9 items; got 10 answers"),
    (("phq9", *"11111111", "4"), "item 9: position 4 is out of range (0–3)"),
    (("phq9", *"11111111", "-1"), "item 9: position -1 is out of range (0–3)"),
    (("phq9", *"11111111", "1.5"), "item 9: position 1.5 is not a whole number"),
    (("phq9", *"11111111", "x"), "item 9: answer 'x' is not a number"),
    (("phq9", *"11111111", "nan"), "item 9: answer 'nan' is not a number"),
    ((), "Missing argument 'INSTRUMENT'."),
])
def test_score_errors_are_one_line_with_status_2(args, message):
    result = run(score, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {message}")
    assert result.stderr.count("\n") == 1


def test_change_prints_the_json_contract():
    result = run(change, "phq9", "15", "8")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == [
        "instrument", "scale", "before", "after", "delta", "direction",
        "criterion", "reliable", "clinically_relevant", "clinically_significant", "category", "basis",
    ]
    assert {key: data[key] for key in list(data)[:-1]} == {
        "instrument": "phq9", "scale": "total", "before": 15, "after": 8, "delta": -7, "direction": "better",
        "criterion": "reliable_change", "reliable": True, "clinically_relevant": None,
        "clinically_significant": True, "category": "recovered",
    }
    assert data["basis"].startswith("reliable change ≥ 6 points (IAPT")


def test_change_takes_a_scale():
    result = run(change, "phq9", "--scale", "total", "9", "15")
    assert json.loads(result.stdout)["category"] == "deteriorated"


@pytest.mark.parametrize(("args", "message"), [
    (("nosuch", "1", "2"), "unknown instrument 'nosuch' (known: "),
    (("phq9", "--scale", "anxiety", "1", "2"), "phq9 has no scale 'anxiety' (scales: total)"),
    (("phq9", "1", "28"), "after score 28 is outside the phq9 total range 0–27"),
    (("phq9", "x", "2"), "BEFORE 'x' is not a number"),
    (("phq9", "12"), "Missing argument 'AFTER'."),
])
def test_change_errors_are_one_line_with_status_2(args, message):
    result = run(change, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {message}")
    assert result.stderr.count("\n") == 1


def test_instruments_list_prints_one_line_each():
    result = run(instruments, "list")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    [phq9] = [line for line in lines if line.startswith("phq9\t")]
    assert phq9.split("\t")[:3] == ["phq9", "1.0", "Patient Health Questionnaire (PHQ-9)"]
    assert {"en", "nb"} <= set(phq9.split("\t")[3].split(","))
    assert lines == sorted(lines)


def test_instruments_validate_the_whole_directory():
    result = run(instruments, "validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("instrument file(s) valid\n")


def _broken_phq9(directory: Path) -> Path:
    data = yaml.safe_load(PHQ9.read_text(encoding="utf-8"))
    data["scales"][0]["bands"][2]["min"] = 9
    path = directory / "phq9.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_instruments_validate_a_bad_file_exits_2_with_the_error(tmp_path):
    result = run(instruments, "validate", str(PHQ9), str(_broken_phq9(tmp_path)))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{tmp_path / 'phq9.yaml'}: scales[0].bands[2]: overlaps band 'mild'\n"


def test_instruments_validate_a_bad_directory_exits_2(tmp_path):
    (tmp_path / "instruments").mkdir()
    _broken_phq9(tmp_path / "instruments")
    result = run(instruments, "validate", env={"SURVEYS_DIR": str(tmp_path)})
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{tmp_path / 'instruments' / 'phq9.yaml'}: scales[0].bands[2]: overlaps band 'mild'\n"


def test_score_names_a_broken_instrument_file(tmp_path):
    (tmp_path / "instruments").mkdir()
    _broken_phq9(tmp_path / "instruments")
    result = run(score, "phq9", *"111111111", env={"SURVEYS_DIR": str(tmp_path)})
    assert_fails(result, f"{tmp_path / 'instruments' / 'phq9.yaml'}: scales[0].bands[2]: overlaps band 'mild'")
