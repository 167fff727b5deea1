"""Scoring throughput: the instrument core against a bare sum over the same answers.

The core validates every answer, maps positions to points, mirrors reversed
items, prorates with exact fractions and looks up bands; the baseline only
adds the numbers. The ratio says what that exactness costs per response.
"""
from __future__ import annotations

import random

from benchmarks._timing import best_of
from pro_service.config import Settings
from pro_service.instruments.catalog import load_catalog
from pro_service.instruments.scoring import score

RESPONSES = 10_000


def main() -> None:
    catalog = load_catalog(Settings().surveys_dir / "instruments")
    rng = random.Random(7)
    for instrument_id in ("phq9", "core10", "pcl5"):
        instrument = catalog[instrument_id]
        width = {item.number: len(instrument.response_scale(item).options) for item in instrument.items}
        vectors = [{n: rng.randrange(w) for n, w in width.items()} for _ in range(RESPONSES)]

        def core(vectors=vectors, instrument=instrument):
            for answers in vectors:
                score(instrument, answers)

        def baseline(vectors=vectors):
            for answers in vectors:
                sum(answers.values())

        core_s, base_s = best_of(core), best_of(baseline)
        print(f"{instrument_id:8} core {RESPONSES / core_s:10,.0f} responses/s   "
              f"baseline (bare sum) {RESPONSES / base_s:12,.0f} responses/s   "
              f"core per response {core_s / RESPONSES * 1e6:7.1f} µs")


if __name__ == "__main__":
    main()
