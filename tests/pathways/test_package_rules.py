"""Time-limit variants, repeatable clinical decisions and process codes, as the package files give them."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from pro_service.instruments import load_catalog
from pro_service.pathways.package_rules import TimeLimitRule
from pro_service.pathways.packages import PackageError, load_package, load_packages

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"nb": "Mini", "nn": "Mini", "da": "Mini", "en": "Mini"}
MINI = {
    "id": "mini", "country": "NO", "code": "X99", "name": NAMES,
    "source": {"citation": "A test package."}, "settings": {"respondent_sees_own_scores": True},
    "outcome": {"baseline": "start"},
    "milestones": [
        {"id": "start", "name": NAMES},
        {"id": "first_consultation", "name": NAMES},
        {"id": "clinical_decision", "name": NAMES, "max_registrations": 2,
         "time_limit": {"days": 21, "from": "first_consultation"},
         "time_limit_variants": [
             {"id": "inpatient", "when": "inpatient", "days": 7, "from": "first_consultation", "source": "S."},
             {"id": "extended", "when": "extended_assessment", "days": 84, "from": "first_consultation",
              "source": "S."}]},
        {"id": "evaluation", "name": NAMES, "repeats": True},
        {"id": "end", "name": NAMES},
    ],
    "plan": [{"milestone": "evaluation", "instrument": "phq9", "respondent": "self",
              "opens_days": -7, "due_days": 0, "expires_days": 14, "why": "Change."}],
    "process_codes": [{"id": "standardised_tool", "name": NAMES, "code": None, "milestone": "evaluation",
                       "instruments": ["phq9"], "source": "S.", "note": "Letters not found."}],
}


INTERVAL_VARIANT = {"id": "inpatient_interval", "when": "inpatient", "days": 42, "from": "evaluation", "source": "S."}


def test_an_interval_and_its_inpatient_variant_are_rules_measured_from_the_milestone_itself(tmp_path, catalog):
    data = copy.deepcopy(MINI)
    data["milestones"][3].update({"interval_days": 56, "time_limit_variants": [INTERVAL_VARIANT]})
    rules = {rule.id: rule for rule in _load(tmp_path, catalog, data).time_limits()}
    ordinary, inpatient = rules["evaluation.interval"], rules["evaluation.inpatient_interval"]
    assert (ordinary.from_milestone, ordinary.days, ordinary.condition, ordinary.interval) == (
        "evaluation", 56, "always", True)
    assert (inpatient.from_milestone, inpatient.days, inpatient.condition, inpatient.interval) == (
        "evaluation", 42, "inpatient", True)
    assert not rules["clinical_decision"].interval


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "surveys" / "instruments")


def _load(tmp_path, catalog, data):
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_package(path, catalog)


def _problems(tmp_path, catalog, change):
    data = copy.deepcopy(MINI)
    change(data)
    with pytest.raises(PackageError) as raised:
        _load(tmp_path, catalog, data)
    return [(location, message) for _file, location, message in raised.value.problems]


def test_time_limits_list_the_ordinary_limit_then_its_variants(tmp_path, catalog):
    package = _load(tmp_path, catalog, MINI)
    assert package.time_limits() == (
        TimeLimitRule(id="clinical_decision", milestone="clinical_decision", from_milestone="first_consultation",
                      days=21, condition="always", registration=1, source=None),
        TimeLimitRule(id="clinical_decision.inpatient", milestone="clinical_decision",
                      from_milestone="first_consultation", days=7, condition="inpatient", registration=1,
                      source="S."),
        TimeLimitRule(id="clinical_decision.extended", milestone="clinical_decision",
                      from_milestone="first_consultation", days=84, condition="extended_assessment",
                      registration=2, source="S."),
    )
    assert package.milestone("clinical_decision").time_limit.days == 21  # the ordinary limit keeps its meaning


def test_a_milestone_with_max_registrations_may_be_registered_that_often(tmp_path, catalog):
    package = _load(tmp_path, catalog, MINI)
    decision, end, evaluation = (package.milestone(m) for m in ("clinical_decision", "end", "evaluation"))
    assert [decision.may_register(n) for n in (0, 1, 2)] == [True, True, False]
    assert [end.may_register(n) for n in (0, 1)] == [True, False]
    assert evaluation.may_register(40)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["milestones"][2]["time_limit_variants"][0].update({"from": "evaluation"}),
     ("milestones[2].time_limit_variants[0].from", "'evaluation' is not an earlier milestone")),
    (lambda d: d["milestones"][2]["time_limit_variants"][1].update({"id": "inpatient"}),
     ("milestones[2].time_limit_variants[1].id", "duplicate variant id 'inpatient'")),
    (lambda d: d["milestones"][2].pop("max_registrations"),
     ("milestones[2].time_limit_variants[1].when",
      "extended_assessment needs a milestone registered at least twice")),
    (lambda d: d["milestones"][3].update({"max_registrations": 2}),
     ("milestones[3].max_registrations", "a repeating milestone has no maximum")),
    (lambda d: d["milestones"][3].update({"time_limit_variants": [INTERVAL_VARIANT]}),
     ("milestones[3].time_limit_variants[0].from", "an interval variant needs the milestone's interval_days")),
    (lambda d: d["milestones"][3].update({"interval_days": 56, "time_limit_variants": [
        {**INTERVAL_VARIANT, "when": "extended_assessment"}]}),
     ("milestones[3].time_limit_variants[0].when", "only an inpatient variant may vary the interval")),
    (lambda d: d["milestones"][3].update({"interval_days": 56, "time_limit_variants": [
        {**INTERVAL_VARIANT, "id": "interval"}]}),
     ("milestones[3].time_limit_variants[0].id", "'interval' names the milestone's ordinary interval")),
    (lambda d: d["process_codes"][0].update({"instruments": ["phq10"]}),
     ("process_codes[0].instruments", "unknown instrument 'phq10'")),
    (lambda d: d["process_codes"][0].update({"milestone": "follow_up"}),
     ("process_codes[0].milestone", "the package has no milestone 'follow_up'")),
    (lambda d: d["process_codes"][0].pop("note"),
     ("process_codes[0].note", "a process code without a verified code needs a note saying why")),
    (lambda d: d["process_codes"][0]["name"].pop("nn"),
     ("process_codes[0].name", "missing language 'nn'")),
])
def test_invalid_variants_and_process_codes_are_refused(tmp_path, catalog, change, expected):
    assert expected in _problems(tmp_path, catalog, change)


def test_an_unknown_condition_is_refused(tmp_path, catalog):
    problems = _problems(tmp_path, catalog,
                         lambda d: d["milestones"][2]["time_limit_variants"][0].update({"when": "weekend"}))
    assert any(location.startswith("milestones.2.time_limit_variants.0.when")
               or location.startswith("milestones[2].time_limit_variants[0].when") for location, _ in problems)


@pytest.fixture(scope="module")
def shipped(catalog):
    return load_packages(ROOT / "surveys" / "packages", catalog)


def test_shipped_d12_has_the_six_week_extension_and_tsb_its_inpatient_limit(shipped):
    d12 = {rule.id: rule for rule in shipped["mh_children"].time_limits()}
    assert (d12["clinical_decision"].days, d12["clinical_decision.extended"].days) == (42, 84)
    assert d12["clinical_decision.extended"].registration == 2
    tsb = {rule.id: rule for rule in shipped["tsb"].time_limits()}
    assert (tsb["clinical_decision"].days, tsb["clinical_decision.inpatient"].days) == (21, 7)
    assert tsb["clinical_decision.inpatient"].condition == "inpatient"
    assert (tsb["evaluation.interval"].days, tsb["evaluation.inpatient_interval"].days) == (56, 42)


@pytest.mark.parametrize("package_id", ["mh_adults", "mh_children", "tsb"])
def test_the_general_pathways_allow_a_second_clinical_decision(shipped, package_id):
    assert shipped[package_id].milestone("clinical_decision").max_registrations == 2


def test_shipped_process_codes(shipped):
    codes = {(p.id, c.id): c for p in shipped.values() for c in p.process_codes}
    assert set(codes) == {("mh_children", "standardised_tool"), ("tsb", "feedback_tool"),
                          ("ocd", "feedback_tool"), ("psychosis", "feedback_tool")}
    assert codes[("mh_children", "standardised_tool")].milestone == "evaluation"
    assert codes[("tsb", "feedback_tool")].code.startswith("U Utført aktivitet")
    assert codes[("tsb", "feedback_tool")].instruments == ()  # no feedback tool is shipped
