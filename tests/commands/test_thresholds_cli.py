"""`pro-service score INSTRUMENT [--sex female|male] [--age YEARS] ANSWER…` and `change --sex/--age`."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pro_service.commands.instruments import change, score

# AUDIT total 7 (AUDIT-C 3): a case by the women's and over-65 cut-off 7, not by the default 8.
AUDIT_7 = ["1", "1", "1", "4", "0", "0", "0", "0", "0", "0"]


def run(command, *args: str):
    return CliRunner().invoke(command, list(args))


@pytest.mark.parametrize(("options", "total", "audit_c"), [
    ((), (False, 8), (False, 4)),
    (("--sex", "male"), (False, 8), (False, 4)),
    (("--sex", "female"), (True, 7), (True, 3)),
    (("--age", "66"), (True, 7), (False, 4)),
    (("--age", "65"), (False, 8), (False, 4)),
    (("--sex", "unknown", "--age", "30"), (False, 8), (False, 4)),
])
def test_score_uses_the_cut_off_for_sex_and_age_and_says_which(options, total, audit_c):
    result = run(score, "audit", *options, *AUDIT_7)
    assert result.exit_code == 0, result.stderr
    scales = json.loads(result.stdout)["scales"]
    assert (scales["total"]["caseness"], scales["total"]["threshold"]["value"]) == total
    assert (scales["audit_c"]["caseness"], scales["audit_c"]["threshold"]["value"]) == audit_c


def test_score_options_may_follow_the_answers():
    result = run(score, "audit", *AUDIT_7, "--sex", "female")
    assert json.loads(result.stdout)["scales"]["total"]["threshold"] == {
        "value": 7,
        "basis": "caseness ≥ 7 for women (Babor 2001 (WHO/MSD/MSB/01.6a): a cut-off one point lower, at 7,"
                 " for women increases sensitivity)",
    }


def test_score_prints_screens():
    result = run(score, "who5", "5", "5", "5", "5", "1")
    assert json.loads(result.stdout)["screens"]["depression"]["positive"] is True


@pytest.mark.parametrize(("args", "message"), [
    (("audit", "--sex", "woman", *AUDIT_7), "Invalid value for '--sex': 'woman' is not one of"),
    (("audit", "--age", "-1", *AUDIT_7), "Invalid value for '--age': -1 is not in the range x>=0."),
    (("audit", "--age", "40.5", *AUDIT_7), "Invalid value for '--age': '40.5' is not a valid integer range."),
])
def test_score_refuses_a_bad_sex_or_age_with_status_2(args, message):
    result = run(score, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {message}")


def test_change_takes_sex_for_clinical_significance():
    female = json.loads(run(change, "dudit", "--sex", "female", "4", "1").stdout)
    default = json.loads(run(change, "dudit", "4", "1").stdout)
    assert (female["clinically_significant"], default["clinically_significant"]) == (True, False)


def test_change_without_a_published_basis_says_so_exactly():
    data = json.loads(run(change, "wsas", "30", "10").stdout)
    assert (data["criterion"], data["reliable"], data["category"]) == (None, None, None)
    assert data["basis"].startswith("not classified — no published basis (")


def test_who5_change_is_a_clinically_relevant_difference_never_reliable():
    data = json.loads(run(change, "who5", "--scale", "percent", "40", "60").stdout)
    assert (data["criterion"], data["reliable"], data["clinically_relevant"], data["category"]) == (
        "clinically_relevant_difference", None, True, "relevant_improvement")
    assert data["basis"].startswith("clinically relevant difference ≥ 10 points — not a reliable-change index")
