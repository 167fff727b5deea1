"""Every problem the loader reports, with the exact line it prints.

Each case starts from the small valid instrument in ``conftest.base_instrument``
and breaks one thing, so a message change is a deliberate, reviewed change.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pydantic
import pytest

from pro_service.instruments import Catalog, CatalogError, load_catalog, load_instrument

Change = Callable[[dict[str, Any]], Any]


def _scale(data: dict[str, Any]) -> dict[str, Any]:
    return data["scales"][0]


def _text_item(data: dict[str, Any]) -> None:
    """Make item 3 free text and leave it out of the scale (now 0–6)."""
    data["response_scales"]["comment"] = {"type": "text"}
    data["items"][2]["response"] = "comment"
    _scale(data)["items"] = [1, 2]
    _scale(data)["bands"][1]["max"] = 6


def _count_scale(data: dict[str, Any], count_if: dict[int, Any] | None) -> None:
    _scale(data).update(method="count", bands=[])
    if count_if is not None:
        _scale(data)["count_if"] = count_if


def _set(mapping: dict[str, Any], **values: Any) -> Change:
    return lambda data: mapping(data).update(values)  # type: ignore[operator]


def _missing(max_missing: int) -> dict[str, Any]:
    return {"max": max_missing, "fill": "mean", "source": "manual"}


CASES: list[tuple[str, Change, list[str]]] = [
    # bands
    ("band overlaps", lambda d: _scale(d)["bands"][1].update(min=4),
     ["scales[0].bands[1]: overlaps band 'low'"]),
    ("band gap", lambda d: _scale(d)["bands"][1].update(min=6),
     ["scales[0].bands[1]: leaves a gap after band 'low'"]),
    ("band out of order", lambda d: _scale(d)["bands"].reverse(),
     ["scales[0].bands[1]: is out of order: starts below band 'high'",
      "scales[0].bands[0].min: is 5 but the scale's range is 0–9",
      "scales[0].bands[1].max: is 4 but the scale's range is 0–9"]),
    ("bands start above the range", lambda d: _scale(d)["bands"][0].update(min=1),
     ["scales[0].bands[0].min: is 1 but the scale's range is 0–9"]),
    ("bands end below the range", lambda d: _scale(d)["bands"][1].update(max=8),
     ["scales[0].bands[1].max: is 8 but the scale's range is 0–9"]),
    ("bands end beyond the transformed range", lambda d: _scale(d).update(transform={"multiply": 2}),
     ["scales[0].bands[1].max: is 9 but the scale's range is 0–18"]),
    ("band min above max", lambda d: _scale(d)["bands"][0].update(min=4, max=0),
     ["scales[0].bands[0]: min 4 is greater than max 0"]),
    ("duplicate band code", lambda d: _scale(d)["bands"][1].update(code="low"),
     ["scales[0].bands[1].code: duplicate band code 'low'"]),
    # scales
    ("unknown item in a scale", lambda d: _scale(d).update(items=[1, 2, 4]),
     ["scales[0].items[2]: unknown item 4"]),
    ("item listed twice in a scale", lambda d: _scale(d).update(items=[1, 2, 2]),
     ["scales[0].items[2]: item 2 is listed twice"]),
    ("text item in a scale", lambda d: (_text_item(d), _scale(d).update(items=[1, 2, 3])),
     ["scales[0].items[2]: item 3 is a text item and cannot be scored"]),
    ("duplicate scale id", lambda d: d["scales"].append(dict(_scale(d))),
     ["scales[1].id: duplicate scale id 'total'"]),
    ("missing.max equals the number of items", lambda d: _scale(d).update(missing=_missing(3)),
     ["scales[0].missing.max: must be less than the number of items (3)"]),
    ("count without count_if", lambda d: _count_scale(d, None),
     ["scales[0].count_if: required for method count"]),
    ("count_if without an item", lambda d: _count_scale(d, {1: {"min": 2}, 2: {"min": 2}}),
     ["scales[0].count_if: has no rule for item 3"]),
    ("count_if for an item not in the scale",
     lambda d: _count_scale(d, {1: {"min": 2}, 2: {"min": 2}, 3: {"min": 2}, 4: {"min": 1}}),
     ["scales[0].count_if[4]: item 4 is not in the scale"]),
    ("count_if on a sum scale", lambda d: _scale(d).update(count_if={1: {"min": 1}}),
     ["scales[0].count_if: only for method count"]),
    ("count scale prorated",
     lambda d: (_count_scale(d, {1: {"min": 2}, 2: {"min": 2}, 3: {"min": 2}}), _scale(d).update(missing=_missing(1))),
     ["scales[0].missing: a count scale cannot be prorated"]),
    ("count_if rule without bounds", lambda d: _count_scale(d, {1: {}, 2: {"min": 2}, 3: {"min": 2}}),
     ["scales[0].count_if[1]: give min, max or both"]),
    ("caseness with both cut-offs", lambda d: _scale(d).update(caseness={"min": 5, "max": 3, "source": "x"}),
     ["scales[0].caseness: give exactly one of min or max"]),
    ("caseness outside the range", lambda d: _scale(d).update(caseness={"min": 10, "source": "x"}),
     ["scales[0].caseness: cut-off 10 is outside the scale's range 0–9"]),
    ("reliable change without a basis", lambda d: _scale(d).update(reliable_change={"source": "x"}),
     ["scales[0].reliable_change: give either threshold, or reliability and sd"]),
    ("reliable change with reliability but no sd",
     lambda d: _scale(d).update(reliable_change={"reliability": 0.8, "source": "x"}),
     ["scales[0].reliable_change: give either threshold, or reliability and sd"]),
    ("reliable change with both bases",
     lambda d: _scale(d).update(reliable_change={"threshold": 3, "reliability": 0.8, "sd": 4, "source": "x"}),
     ["scales[0].reliable_change: give either threshold, or reliability and sd"]),
    ("reliability above 1", lambda d: _scale(d).update(reliable_change={"reliability": 1.2, "sd": 3, "source": "x"}),
     ["scales[0].reliable_change.reliability: must be between 0 and 1 (exclusive)"]),
    ("threshold of 0", lambda d: _scale(d).update(reliable_change={"threshold": 0, "source": "x"}),
     ["scales[0].reliable_change.threshold: must be greater than 0"]),
    ("unknown method", lambda d: _scale(d).update(method="median"),
     ["scales[0].method: input should be 'sum', 'mean' or 'count'"]),
    # items
    ("duplicate item number", lambda d: (d["items"][2].update(number=2), _scale(d).update(items=[1, 2])),
     ["items[2].number: duplicate item number 2"]),
    ("gap in item numbers", lambda d: (d["items"][2].update(number=4), _scale(d).update(items=[1, 2, 4])),
     ["items[2].number: expected 3: items are numbered 1, 2, 3 … in order"]),
    ("unknown response scale", lambda d: d["items"][0].update(response="freq"),
     ["items[0].response: unknown response scale 'freq' (defined: frequency)"]),
    ("reversed text item", lambda d: (_text_item(d), d["items"][2].update(reversed=True)),
     ["items[2].reversed: not allowed on a text item, which is never scored"]),
    ("critical text item", lambda d: (_text_item(d), d["items"][2].update(critical={"min_points": 1})),
     ["items[2].critical: not allowed on a text item, which is never scored"]),
    ("critical above the item's points", lambda d: d["items"][0].update(critical={"min_points": 4}),
     ["items[0].critical.min_points: 4 is outside the item's points (0–3)"]),
    ("item number not a number", lambda d: d["items"][0].update(number="one"),
     ["items[0].number: input should be a valid integer"]),
    ("reversed not a boolean", lambda d: d["items"][0].update(reversed="yes"),
     ["items[0].reversed: input should be a valid boolean"]),
    ("no items", lambda d: d.update(items=[]),
     ["items: needs at least 1 entry"]),
    # response scales and the registry
    ("unknown response type", lambda d: d["response_scales"]["frequency"].update(type="slider"),
     ["response_scales.frequency.type: unknown response type 'slider' (known: number, single_choice, text)"]),
    ("options points decreasing",
     lambda d: d["response_scales"]["frequency"]["options"][1].update(points=2)
     or d["response_scales"]["frequency"]["options"][2].update(points=1),
     ["response_scales.frequency.options[2].points: 1 is lower than the option before it (2);"
      " list options lowest first"]),
    ("a single option", lambda d: d["response_scales"]["frequency"]["options"][1:] == [] or
     d["response_scales"]["frequency"].update(options=d["response_scales"]["frequency"]["options"][:1]),
     ["response_scales.frequency.options: needs at least two options"]),
    ("single choice without options", lambda d: d["response_scales"]["frequency"].pop("options"),
     ["response_scales.frequency.options: required for type single_choice"]),
    ("single choice with min", lambda d: d["response_scales"]["frequency"].update(min=0),
     ["response_scales.frequency.min: not allowed for type single_choice"]),
    ("number without max", lambda d: d["response_scales"].update(frequency={"type": "number", "min": 0}),
     ["response_scales.frequency.max: required for type number"]),
    ("number with min not below max", lambda d: d["response_scales"].update(frequency={"type": "number", "min": 5, "max": 5}),
     ["response_scales.frequency.max: must be greater than min (5)"]),
    ("text with options",
     lambda d: (_text_item(d), d["response_scales"]["comment"].update(options=[{"points": 0, "label": {"en": "x"}}])),
     ["response_scales.comment.options: not allowed for type text"]),
    ("points not a number", lambda d: d["response_scales"]["frequency"]["options"][1].update(points="one"),
     ["response_scales.frequency.options[1].points: must be a number"]),
    ("points infinite", lambda d: d["response_scales"]["frequency"]["options"][3].update(points=float("inf")),
     ["response_scales.frequency.options[3].points: must be a number"]),
    # file-wide
    ("id differs from the file name", lambda d: d.update(id="small"),
     ["id: 'small' does not match the file name 'tiny.yaml'"]),
    ("id not lower case", lambda d: d.update(id="Tiny"),
     ["id: 'Tiny' must be lower case letters, digits and _, starting with a letter"]),
    ("language not declared", lambda d: d["title"].update(de="Winzig"),
     ["title.de: language 'de' is not declared under languages"]),
    ("band label in an undeclared language", lambda d: _scale(d)["bands"][0]["label"].update(sv="Låg"),
     ["scales[0].bands[0].label.sv: language 'sv' is not declared under languages"]),
    ("text without en or nb",
     lambda d: (d["languages"].update(sv={"status": "official", "source": "x"}), d.update(instructions={"sv": "Svara"})),
     ["instructions: needs a text in en or nb"]),
    ("empty text", lambda d: d["title"].update(en=""),
     ["title.en: string should have at least 1 character"]),
    ("language code not BCP 47", lambda d: d["languages"].update(English={"status": "official", "source": "x"}),
     ["languages.English: 'English' is not a BCP 47 language code (en, nb, …)"]),
    ("unknown translation status", lambda d: d["languages"]["nb"].update(status="draft"),
     ["languages.nb.status: input should be 'official' or 'provisional'"]),
    ("unknown respondent", lambda d: d.update(respondents=["doctor"]),
     ["respondents[0]: input should be 'self', 'parent', 'other_relative' or 'teacher'"]),
    ("age range upside down", lambda d: d.update(age={"min": 18, "max": 12}),
     ["age: min 18 is greater than max 12"]),
    ("unknown key", lambda d: _scale(d).update(colour="red"),
     ["scales[0].colour: unknown key"]),
    ("required key missing", lambda d: d.pop("version"),
     ["version: required"]),
    ("version written as a number", lambda d: d.update(version=1.0),
     ["version: input should be a valid string"]),
]


@pytest.mark.parametrize(("change", "lines"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_catalog_error_names_file_location_and_problem(instrument_file, change, lines):
    path = instrument_file(change)
    with pytest.raises(CatalogError) as caught:
        load_instrument(path)
    assert str(caught.value) == "\n".join(f"{path}: {line}" for line in lines)


def test_catalog_refuses_a_licence_without_electronic_use(instrument_file):
    path = instrument_file(lambda d: d["licence"].update(
        name="SDQ terms of use", holder="Youthinmind Ltd", electronic_use=False
    ))
    with pytest.raises(CatalogError) as caught:
        load_instrument(path)
    assert str(caught.value) == (
        f"{path}: licence.electronic_use: licence 'SDQ terms of use' (Youthinmind Ltd) does not allow"
        " electronic use; a site with an agreement sets electronic_use: true and names the agreement"
    )


@pytest.mark.parametrize(("text", "line"), [
    ("id: [tiny\n", "line 2, column 1: invalid YAML: expected ',' or ']', but got '<stream end>'"),
    ("id: tiny\nid: tiny\n", "line 2, column 1: invalid YAML: duplicate key 'id'"),
    ("- id\n- tiny\n", "(file): must be a mapping of keys (id, version, …) to values"),
    ("", "(file): must be a mapping of keys (id, version, …) to values"),
], ids=["syntax", "duplicate key", "a list", "empty"])
def test_catalog_error_for_yaml_that_is_not_an_instrument(tmp_path, text, line):
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_instrument(path)
    assert str(caught.value) == f"{path}: {line}"


def test_catalog_error_for_a_file_that_cannot_be_read(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_instrument(tmp_path / "gone.yaml")
    assert str(caught.value) == f"{tmp_path / 'gone.yaml'}: (file): cannot be read: No such file or directory"


def test_catalog_error_for_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_bytes("id: tiny\ntitle: {nb: \"Spørreskjema\"}\n".encode("latin-1"))
    with pytest.raises(CatalogError) as caught:
        load_instrument(path)
    assert str(caught.value) == f"{path}: (file): is not UTF-8 text"


def test_catalog_error_keeps_the_path_as_given(instrument_file, monkeypatch):
    path = instrument_file(lambda d: _scale(d)["bands"][1].update(min=4))
    monkeypatch.chdir(path.parent.parent)
    relative = Path(path.parent.name) / path.name
    with pytest.raises(CatalogError) as caught:
        load_instrument(str(relative))
    assert str(caught.value) == f"{relative}: scales[0].bands[1]: overlaps band 'low'"


def test_catalog_error_lists_every_problem_of_every_file(tmp_path, instrument_file):
    instrument_file(lambda d: d["title"].update(de="Winzig"))
    bad = instrument_file(lambda d: d.update(id="tiny2", version=2), name="tiny2")
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path)
    assert [problem[1:] for problem in caught.value.problems] == [
        ("title.de", "language 'de' is not declared under languages"),
        ("version", "input should be a valid string"),
    ]
    assert caught.value.problems[1][0] == str(bad)


def test_catalog_error_for_a_missing_directory(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path / "nowhere")
    assert str(caught.value) == f"{tmp_path / 'nowhere'}: (directory): not found"


def test_catalog_loads_every_instrument_sorted_and_read_only(tmp_path, instrument_file):
    instrument_file(lambda d: d.update(id="zeta"), name="zeta")
    instrument_file(lambda d: d.update(id="alpha"), name="alpha")
    (tmp_path / "notes.txt").write_text("not an instrument", encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert isinstance(catalog, Catalog)
    assert list(catalog) == ["alpha", "zeta"]
    with pytest.raises(TypeError):
        catalog["beta"] = catalog["alpha"]  # type: ignore[index]
    with pytest.raises(pydantic.ValidationError):
        catalog["alpha"].version = "2.0"  # type: ignore[misc]
    assert isinstance(catalog["alpha"].title, MappingProxyType)


def test_catalog_accepts_fractional_bands_on_a_mean_scale(make_instrument):
    def mean_scale(data: dict[str, Any]) -> None:
        _scale(data).update(method="mean", bands=[
            {"code": "low", "min": 0, "max": 1.4, "label": {"en": "Low"}},
            {"code": "high", "min": 1.5, "max": 3, "label": {"en": "High"}},
        ])

    instrument = make_instrument(mean_scale)
    assert instrument.scale_range(instrument.default_scale) == (0, 3)
    assert not instrument.scale_is_whole(instrument.default_scale)


def test_catalog_applies_defaults_the_format_documents(make_instrument):
    scale = make_instrument().default_scale
    assert (scale.round, scale.transform.multiply, scale.transform.add, scale.missing_allowed) == ("none", 1, 0, 0)


def test_catalog_ships_valid_instruments(catalog):
    assert "phq9" in catalog
    assert [scale.id for scale in catalog["phq9"].scales] == ["total"]
