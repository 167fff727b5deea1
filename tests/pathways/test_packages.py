"""Packages as data: the shipped files, every validation message, and the helpers the app calls."""
from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pro_service.i18n import LOCALES
from pro_service.instruments import load_catalog
from pro_service.pathways.packages import REQUIRED_LANGUAGES, PackageError, PlanEntry, load_package, load_packages

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENTS = ROOT / "surveys" / "instruments"
PACKAGES = ROOT / "surveys" / "packages"

NAMES = {"nb": "Mini", "nn": "Mini", "da": "Mini", "en": "Mini"}
MINI = {
    "id": "mini",
    "country": "NO",
    "code": "X99",
    "name": NAMES,
    "source": {"citation": "A test package.", "url": "https://example.org"},
    "settings": {"respondent_sees_own_scores": True},
    "outcome": {"baseline": "start"},
    "milestones": [
        {"id": "start", "name": NAMES},
        {"id": "clinical_decision", "name": NAMES, "time_limit": {"days": 42, "from": "start"}},
        {"id": "end", "name": NAMES},
    ],
    "plan": [
        {"milestone": "start", "instrument": "phq9", "respondent": "self",
         "opens_days": 0, "due_days": 14, "expires_days": 42, "why": "Depression."},
        {"milestone": "start", "instrument": "gad7", "respondent": "self", "age": {"min": 12},
         "opens_days": 0, "due_days": 14, "expires_days": 42, "why": "Anxiety."},
        {"milestone": "end", "instrument": "phq9", "respondent": "self",
         "opens_days": -7, "due_days": 0, "expires_days": 21, "why": "Outcome."},
    ],
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(INSTRUMENTS)


@pytest.fixture(scope="module")
def shipped(catalog):
    return load_packages(PACKAGES, catalog)


@pytest.fixture
def tiny_catalog(tmp_path):
    """PHQ-9 and GAD-7 from the real catalogue: enough for every check, quick to load."""
    directory = tmp_path / "instruments"
    directory.mkdir()
    for instrument_id in ("phq9", "gad7"):
        shutil.copy(INSTRUMENTS / f"{instrument_id}.yaml", directory)
    return load_catalog(directory)


def write(tmp_path: Path, data: dict, name: str | None = None) -> Path:
    directory = tmp_path / "packages"
    directory.mkdir(exist_ok=True)
    path = directory / f"{name or data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_shipped_packages_load_against_the_real_catalogue(shipped):
    assert list(shipped) == [
        "dk_depression", "eating_disorders", "mh_adults", "mh_children", "ocd", "psychosis", "tsb",
    ]
    assert {package_id: package.code for package_id, package in shipped.items()} == {
        "dk_depression": None, "eating_disorders": None, "mh_adults": "D11", "mh_children": "D12",
        "ocd": None, "psychosis": "D06", "tsb": "D01",
    }
    for package in shipped.values():
        assert package.code is not None or package.code_note, package.id
        assert [m.id for m in package.milestones][:1] == ["start"]
        assert package.milestone("evaluation").repeats
        for milestone_id in ("start", "clinical_decision", "evaluation", "end"):
            assert package.plan_for(milestone_id), (package.id, milestone_id)


def test_shipped_package_and_milestone_names_are_in_all_ten_respondent_languages(shipped):
    # The welcome page names the package and milestone in a sentence; a missing one falls back to English.
    for package in shipped.values():
        names = [("name", package.name)] + [(f"milestones.{m.id}.name", m.name) for m in package.milestones]
        for location, name in names:
            assert sorted(name) == sorted(LOCALES), (package.id, location)
            assert all(words.strip() == words and words for words in name.values()), (package.id, location)


def test_shipped_names_beyond_the_required_languages_are_marked_provisional(shipped):
    for package in shipped.values():
        assert sorted(package.translations) == sorted(set(LOCALES) - set(REQUIRED_LANGUAGES)), package.id
        assert {t.status for t in package.translations.values()} == {"provisional"}, package.id


def test_shipped_time_limits(shipped):
    adults = shipped["mh_adults"].milestone("clinical_decision").time_limit
    assert (adults.days, adults.from_milestone) == (42, "first_consultation")
    evaluation = shipped["tsb"].milestone("evaluation")
    assert (evaluation.time_limit.days, evaluation.time_limit.from_milestone, evaluation.interval_days) == (
        7, "clinical_decision", 56,
    )


def test_find_by_id_or_official_code_ignores_case(shipped):
    assert shipped.find("mh_adults").id == "mh_adults"
    assert shipped.find("D11").id == "mh_adults"
    assert shipped.find("d12").id == "mh_children"
    assert shipped.find(" d01 ").id == "tsb"
    assert shipped.find("D99") is None


def test_plan_for_adults_clinical_decision(shipped):
    entries = shipped["mh_adults"].plan_for("clinical_decision")
    assert [(e.instrument, e.respondent) for e in entries] == [
        ("phq9", "self"), ("gad7", "self"), ("core10", "self"), ("wsas", "self"),
    ]
    assert all((e.opens_days, e.due_days, e.expires_days) == (-7, 0, 14) for e in entries)


def test_plan_for_a_milestone_the_package_lacks_raises(shipped):
    with pytest.raises(KeyError, match="package 'psychosis' has no milestone 'follow_up'"):
        shipped["psychosis"].plan_for("follow_up")


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, [("smfq_parent", "parent")]),
        (10, [("smfq_parent", "parent")]),
        (11, [("smfq", "self"), ("smfq_parent", "parent")]),
        (17, [("smfq", "self"), ("smfq_parent", "parent")]),
        (18, [("core10", "self")]),
        (None, []),
    ],
)
def test_children_self_report_only_from_11_parent_for_any_child(shipped, age, expected):
    # An unknown age meets no age limit, so no child gets a form meant for another age. The readiness
    # questions (not a measure) are asked at evaluations and the end from 12.
    for milestone_id in ("start", "clinical_decision", "evaluation", "end"):
        entries = shipped["mh_children"].plan_for(milestone_id)
        assert [(e.instrument, e.respondent) for e in entries
                if e.applies_to(age) and e.instrument != "readiness"] == expected
        readiness = [e for e in entries if e.instrument == "readiness"]
        assert [e.applies_to(age) for e in readiness] == ([age is not None and age >= 12]
                                                          if milestone_id in ("evaluation", "end") else [])


def test_adults_plan_applies_at_any_age_even_unknown(shipped):
    assert all(entry.applies_to(None) and entry.applies_to(70) for entry in shipped["mh_adults"].plan)


@pytest.mark.parametrize(
    ("age", "age_years", "applies"),
    [({"min": 11, "max": 17}, 10, False), ({"min": 11, "max": 17}, 11, True), ({"min": 11, "max": 17}, 17, True),
     ({"min": 11, "max": 17}, 18, False), ({"max": 17}, 0, True), (None, None, True), ({"min": 11}, None, False)],
)
def test_plan_entry_applies_to(age, age_years, applies):
    entry = PlanEntry.model_validate({**MINI["plan"][0], "age": age})
    assert entry.applies_to(age_years) is applies


def test_the_small_package_is_valid(tmp_path, tiny_catalog):
    package = load_package(write(tmp_path, MINI), tiny_catalog)
    assert [e.instrument for e in package.plan_for("start")] == ["phq9", "gad7"]
    assert package.milestone("clinical_decision").time_limit.from_milestone == "start"


def _set(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data[int(part)] if part.isdigit() else data[part]
    if value is _DELETE:
        del data[last]
    elif last.isdigit():
        data[int(last)] = value
    else:
        data[last] = value


_DELETE = object()
MS = {"id": "start", "name": NAMES}


@pytest.mark.parametrize(
    ("changes", "location", "message"),
    [
        ({"milestones.1": MS}, "milestones[1].id", "duplicate milestone id 'start'"),
        ({"milestones.1.time_limit": {"days": 42, "from": "end"}},
         "milestones[1].time_limit.from", "'end' is not an earlier milestone"),
        ({"milestones.1.time_limit": {"days": 42, "from": "clinical_decision"}},
         "milestones[1].time_limit.from", "'clinical_decision' is not an earlier milestone"),
        ({"milestones.1.time_limit": {"days": 42, "from": "evaluation"}},
         "milestones[1].time_limit.from", "'evaluation' is not an earlier milestone"),
        ({"milestones.1.interval_days": 84},
         "milestones[1].interval_days", "only a repeating milestone (repeats: true) has an interval"),
        ({"milestones.0.name": {"nb": "Start", "en": "Start", "da": "Start"}},
         "milestones[0].name", "missing language 'nn'"),
        ({"name": {"nb": "Mini", "nn": "Mini", "en": "Mini"}}, "name", "missing language 'da'"),
        ({"plan.0.milestone": "evaluation"}, "plan[0].milestone", "the package has no milestone 'evaluation'"),
        ({"plan.0.instrument": "phq10"}, "plan[0].instrument", "unknown instrument 'phq10'"),
        ({"plan.0.respondent": "parent"}, "plan[0].respondent", "instrument 'phq9' is answered by self, not parent"),
        ({"plan.0.due_days": -1}, "plan[0].due_days", "-1 is before opens_days (0)"),
        ({"plan.0.expires_days": 13}, "plan[0].expires_days", "13 is before due_days (14)"),
        ({"plan.1.age": {"min": 17, "max": 11}}, "plan[1].age", "min 17 is greater than max 11"),
        ({"plan.2.milestone": "start"}, "plan[2]", "repeats plan[0] (start, phq9, self)"),
        ({"id": "other"}, "id", "'other' does not match the file name 'mini.yaml'"),
        ({"country": "SE"}, "country", "input should be 'NO' or 'DK'"),
        ({"code": _DELETE}, "code", "required"),
        ({"settings.colour": "blue"}, "settings.colour", "unknown key"),
        ({"milestones.0.id": "referral"}, "milestones[0].id",
         "input should be 'start', 'first_consultation', 'clinical_decision', 'evaluation', 'end' or 'follow_up'"),
        ({"plan.0.respondent": "grandparent"}, "plan[0].respondent",
         "input should be 'self', 'parent', 'other_relative' or 'teacher'"),
        ({"name": {**NAMES, "sv": "Mini"}}, "name.sv", "language 'sv' is not listed under translations"),
        ({"translations": {"sv": {"status": "draft", "source": "Here."}}}, "translations.sv.status",
         "input should be 'official' or 'provisional'"),
        ({"translations": {"Swedish": {"status": "provisional", "source": "Here."}}}, "translations.Swedish",
         "'Swedish' is not a BCP 47 language code (en, nb, …)"),
        ({"translations": {"sv": {"status": "provisional"}}}, "translations.sv.source", "required"),
    ],
)
def test_invalid_package_names_file_location_and_problem(tmp_path, tiny_catalog, changes, location, message):
    data = copy.deepcopy(MINI)
    for path, value in changes.items():
        _set(data, path, value)
    path = write(tmp_path, data, name="mini")
    with pytest.raises(PackageError) as caught:
        load_package(path, tiny_catalog)
    assert str(caught.value) == f"{path}: {location}: {message}"


def test_a_listed_translation_is_needed_in_every_name(tmp_path, tiny_catalog):
    data = copy.deepcopy(MINI)
    data["translations"] = {"sv": {"status": "provisional", "source": "Written here."}}
    swedish = {**NAMES, "sv": "Mini"}
    data["name"] = swedish
    data["milestones"][0]["name"] = data["milestones"][2]["name"] = swedish
    path = write(tmp_path, data)
    with pytest.raises(PackageError) as caught:
        load_package(path, tiny_catalog)
    assert str(caught.value) == f"{path}: milestones[1].name: missing language 'sv' (listed under translations)"

    data["milestones"][1]["name"] = swedish
    package = load_package(write(tmp_path, data), tiny_catalog)
    assert package.milestone("clinical_decision").name["sv"] == "Mini"
    assert dict(package.translations)["sv"].status == "provisional"


def test_every_problem_of_a_file_is_reported(tmp_path, tiny_catalog):
    data = copy.deepcopy(MINI)
    data["plan"][0]["instrument"] = "phq10"
    data["plan"][1]["respondent"] = "teacher"
    path = write(tmp_path, data)
    with pytest.raises(PackageError) as caught:
        load_package(path, tiny_catalog)
    assert str(caught.value) == (
        f"{path}: plan[0].instrument: unknown instrument 'phq10'\n"
        f"{path}: plan[1].respondent: instrument 'gad7' is answered by self, not teacher"
    )


def test_a_code_used_by_two_packages_is_refused(tmp_path, tiny_catalog):
    write(tmp_path, MINI)
    other = write(tmp_path, {**copy.deepcopy(MINI), "id": "other", "code": "x99"})
    with pytest.raises(PackageError) as caught:
        load_packages(tmp_path / "packages", tiny_catalog)
    assert str(caught.value) == f"{other}: code: 'x99' is also the code of package 'mini'"


def test_invalid_yaml_and_missing_directory(tmp_path, tiny_catalog):
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\nid: again\n", encoding="utf-8")
    with pytest.raises(PackageError) as caught:
        load_package(path, tiny_catalog)
    assert str(caught.value) == f"{path}: line 2, column 1: invalid YAML: duplicate key 'id'"
    with pytest.raises(PackageError) as caught:
        load_packages(tmp_path / "nowhere", tiny_catalog)
    assert str(caught.value) == f"{tmp_path / 'nowhere'}: (directory): not found"


def test_loaded_packages_are_immutable(tmp_path, tiny_catalog):
    package = load_package(write(tmp_path, MINI), tiny_catalog)
    with pytest.raises(ValueError, match="frozen"):
        package.plan[0].due_days = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        package.name["nb"] = "Changed"  # type: ignore[index]


def test_package_definitions_import_neither_flask_nor_a_database():
    # pro_service/__init__.py builds the Flask app, so the parent package is stubbed.
    probe = (
        "import json, sys, types\n"
        "package = types.ModuleType('pro_service'); package.__path__ = [sys.argv[1]]\n"
        "sys.modules['pro_service'] = package\n"
        "import pro_service.pathways.packages\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(ROOT / "pro_service")], capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    forbidden = ("flask", "werkzeug", "jinja2", "sqlalchemy", "sqlmodel", "alembic", "psycopg")
    assert [name for name in loaded if name.split(".")[0] in forbidden] == []
    assert "pro_service.pathways.models" not in loaded


COMBINED = {"id": "phq9+gad7", "name": NAMES, "respondent": "self", "source": "NHS Talking Therapies.",
            "parts": [{"instrument": "phq9", "scale": "total", "caseness": {"min": 10, "source": "NHS TT"}},
                      {"instrument": "gad7", "scale": "total", "caseness": {"min": 8, "source": "NHS TT"}}]}


def test_a_package_names_its_outcome_baseline_and_combined_rules(tmp_path, tiny_catalog):
    data = copy.deepcopy(MINI)
    data["outcome"]["combined"] = [COMBINED]
    package = load_package(write(tmp_path, data), tiny_catalog)
    assert package.outcome.baseline == "start"
    assert [p.caseness.cut_off for p in package.outcome.combined[0].parts] == [10, 8]


@pytest.mark.parametrize(("change", "message"), [
    ({"baseline": "evaluation"}, "outcome.baseline: the package has no milestone 'evaluation'"),
    ({"combined": [{**COMBINED, "id": "gad7+phq9"}]}, "outcome.combined[0].id: must be the parts' instruments"),
    ({"combined": [{**COMBINED, "parts": [COMBINED["parts"][0], {**COMBINED["parts"][1], "scale": "nope"}]}]},
     "outcome.combined[0].parts[1].scale: instrument 'gad7' has no scale 'nope'"),
    ({"combined": [{**COMBINED, "parts": [COMBINED["parts"][0],
                                          {**COMBINED["parts"][1], "caseness": {"min": 99, "source": "x"}}]}]},
     "outcome.combined[0].parts[1].caseness: 99 is outside the scale's range"),
    ({"combined": [{**COMBINED, "respondent": "parent"}]},
     "outcome.combined[0].parts[0].instrument: 'phq9' is not planned for parent"),
])
def test_an_invalid_outcome_section_is_refused_with_its_location(tmp_path, tiny_catalog, change, message):
    data = copy.deepcopy(MINI)
    data["outcome"].update(change)
    with pytest.raises(PackageError) as raised:
        load_package(write(tmp_path, data), tiny_catalog)
    assert message in str(raised.value)
