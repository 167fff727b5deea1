"""Skip rules from the shell: AUDIT's as the WHO manual gives them, and files whose rules are wrong."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pro_service.commands.instruments import instruments, score

AUDIT = Path(__file__).resolve().parents[2] / "surveys" / "instruments" / "audit.yaml"


def run(command, *args: str):
    return CliRunner().invoke(command, list(args))


def test_score_audit_never_drinking_skips_items_2_to_8():
    result = run(score, "audit", "0", *"-------", "0", "0")
    assert result.exit_code == 0, result.stderr
    scales = json.loads(result.stdout)["scales"]
    total = {key: scales["total"][key] for key in ("score", "band", "missing", "skipped", "prorated")}
    assert total == {"score": 0, "band": "zone_1", "missing": 0, "skipped": [2, 3, 4, 5, 6, 7, 8], "prorated": False}
    assert (scales["audit_c"]["score"], scales["audit_c"]["missing"], scales["audit_c"]["skipped"]) == (0, 0, [2, 3])


def test_score_audit_items_2_and_3_at_0_skip_items_4_to_8():
    result = run(score, "audit", "1", "0", "0", *"-----", "0", "1")
    assert result.exit_code == 0, result.stderr
    total = json.loads(result.stdout)["scales"]["total"]
    assert (total["score"], total["missing"], total["skipped"]) == (3, 0, [4, 5, 6, 7, 8])


@pytest.mark.parametrize(("answers", "message"), [
    (("0", "1", *"------", "0", "0"), "item 2 is not asked when item 1 is 'Never'; give '-' for it"),
    (("1", "0", "0", "2", *"----", "0", "0"),
     "item 4 is not asked when item 2 is '1 or 2' and item 3 is 'Never'; give '-' for it"),
])
def test_score_refuses_an_answer_to_a_skipped_item(answers, message):
    result = run(score, "audit", *answers)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def _audit_with(tmp_path: Path, rule: dict) -> Path:
    data = yaml.safe_load(AUDIT.read_text(encoding="utf-8"))
    data["skip"] = [{"score": 0, "source": "test", **rule}]
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("rule", "problem"), [
    ({"when": {1: 0}, "items": [2, 11]}, "skip[0].items[1]: unknown item 11"),
    ({"when": {12: 0}, "items": [13]}, "skip[0].when.12: unknown item 12"),
    ({"when": {5: 0}, "items": [4]},
     "skip[0].items[0]: item 4 is not after item 5, which decides the rule; a rule skips only later items"),
    ({"when": {3: 0}, "items": [3]},
     "skip[0].items[0]: item 3 is not after item 3, which decides the rule; a rule skips only later items"),
    ({"when": {9: 1}, "items": [10]}, "skip[0].when.9: 1 is not a value item 9 can score (its options score 0, 2, 4)"),
    ({"when": {1: 0}, "items": [9], "score": 3},
     "skip[0].score: 3 is not a value item 9 can score (its options score 0, 2, 4)"),
    ({"when": {1: 0}, "items": [2], "unless": 1}, "skip[0].unless: unknown key"),
])
def test_validate_refuses_a_skip_rule_that_points_wrong(tmp_path, rule, problem):
    path = _audit_with(tmp_path, rule)
    result = run(instruments, "validate", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == f"{path}: {problem}"


def test_validate_refuses_two_scores_for_one_skipped_item(tmp_path):
    path = _audit_with(tmp_path, {"when": {1: 0}, "items": [4]})
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["skip"].append({"when": {2: 0}, "items": [4], "score": 1, "source": "test"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run(instruments, "validate", str(path))
    assert result.exit_code == 2
    assert result.stderr == (f"{path}: skip[1].score: item 4 is skipped by skip[0] with score 0;"
                             " a skipped item has one score\n")
