"""What the respondent's pages make from an instrument once per process: the same for every respondent."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from pro_service.instruments.models import Instrument

T = TypeVar("T")
KEPT_AT_MOST = 20_000
"""Far more than all instruments' pages and items in all languages; tests that load many catalogues stay bounded."""


def kept_for(store: dict[tuple, tuple[Instrument, Any]], instrument: Instrument, key: tuple[Hashable, ...],
             make: Callable[[], T]) -> T:
    """`make()` the first time for this instrument and key, then what it made.

    Kept with the instrument object itself: a catalogue loaded again (tests) makes it anew, and an instrument's
    id() is not reused while what was made from it is kept.
    """
    full_key = (id(instrument), *key)
    kept = store.get(full_key)
    if kept is None or kept[0] is not instrument:
        if len(store) >= KEPT_AT_MOST:
            store.clear()
        kept = store[full_key] = (instrument, make())
    return kept[1]
