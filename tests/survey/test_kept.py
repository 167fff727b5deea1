"""What the pages make from an instrument is made once per instrument object, and again for a reloaded one."""
from __future__ import annotations

from pathlib import Path

from pro_service import definitions
from pro_service.instruments.catalog import load_instrument
from pro_service.survey import kept


def test_made_once_per_instrument_and_key_and_again_for_a_reloaded_instrument(app):
    with app.app_context():
        instrument = definitions.catalog()["phq9"]
    reloaded = load_instrument(next(p for p in _instrument_files() if p.stem == "phq9"))
    store: dict = {}
    made = []

    def make(tag):
        made.append(tag)
        return object()

    first = kept.kept_for(store, instrument, (1, "nb"), lambda: make("a"))
    assert kept.kept_for(store, instrument, (1, "nb"), lambda: make("b")) is first
    assert kept.kept_for(store, instrument, (1, "en"), lambda: make("c")) is not first
    assert kept.kept_for(store, reloaded, (1, "nb"), lambda: make("d")) is not first
    assert made == ["a", "c", "d"]


def test_the_store_is_bounded(app, monkeypatch):
    with app.app_context():
        instrument = definitions.catalog()["phq9"]
    monkeypatch.setattr(kept, "KEPT_AT_MOST", 3)
    store: dict = {}
    for number in range(10):
        kept.kept_for(store, instrument, (number,), object)
        assert len(store) <= 3


def _instrument_files():
    return Path(__file__).resolve().parents[2].joinpath("surveys", "instruments").glob("*.yaml")
