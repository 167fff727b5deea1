"""Fixtures for the instrument core: the real catalogue, and small instruments written to tmp_path."""
from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from pro_service.config import Settings
from pro_service.instruments import Catalog, Instrument, load_catalog, load_instrument

INSTRUMENTS_DIR = Settings().surveys_dir / "instruments"
INSTRUMENT_IDS = sorted(path.stem for path in INSTRUMENTS_DIR.glob("*.yaml"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """Every shipped instrument, loaded and validated once."""
    return load_catalog(INSTRUMENTS_DIR)


@pytest.fixture(scope="session", params=INSTRUMENT_IDS)
def shipped_instrument(request: pytest.FixtureRequest, catalog: Catalog) -> Instrument:
    """Each shipped instrument in turn, for properties that must hold for all of them."""
    return catalog[request.param]


def _choice(*points: int) -> dict[str, Any]:
    return {
        "type": "single_choice",
        "options": [{"points": p, "label": {"en": f"option {p}"}} for p in points],
    }


def base_instrument() -> dict[str, Any]:
    """The smallest valid instrument: three items scored 0–3, one sum scale 0–9 with bands."""
    return {
        "id": "tiny",
        "version": "1.0",
        "title": {"en": "Tiny", "nb": "Liten"},
        "instructions": {"en": "Answer"},
        "source": {"citation": "Test 2024"},
        "licence": {"name": "Public domain", "holder": "Nobody", "electronic_use": True},
        "respondents": ["self"],
        "languages": {
            "en": {"status": "official", "source": "original"},
            "nb": {"status": "provisional", "source": "ours"},
        },
        "response_scales": {"frequency": _choice(0, 1, 2, 3)},
        "items": [{"number": n, "text": {"en": f"item {n}"}, "response": "frequency"} for n in (1, 2, 3)],
        "scales": [
            {
                "id": "total",
                "name": {"en": "Total"},
                "items": [1, 2, 3],
                "method": "sum",
                "direction": "higher_is_worse",
                "bands": [
                    {"code": "low", "min": 0, "max": 4, "label": {"en": "Low"}},
                    {"code": "high", "min": 5, "max": 9, "label": {"en": "High"}},
                ],
            }
        ],
    }


@pytest.fixture
def instrument_file(tmp_path: Path) -> Callable[..., Path]:
    """Write an instrument dict (default: ``base_instrument()``, after ``change(data)``) as YAML."""

    def write(change: Callable[[dict[str, Any]], Any] | None = None, *, name: str = "tiny") -> Path:
        data = copy.deepcopy(base_instrument())
        if change is not None:
            change(data)
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_instrument(instrument_file: Callable[..., Path]) -> Callable[..., Instrument]:
    """Build and load a small instrument: ``make_instrument(lambda d: d["scales"][0].update(...))``."""

    def make(change: Callable[[dict[str, Any]], Any] | None = None) -> Instrument:
        return load_instrument(instrument_file(change))

    return make
