"""Load instrument files into frozen ``Instrument`` objects, or say exactly what is wrong.

Every problem reads ``<file as given>: <location>: <what is wrong>``, with the
location written as in the file (``scales[0].bands[2]``), so whoever edits a
YAML file can fix it without reading Python.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

from . import rules
from .definition_files import DefinitionError, parse_definition
from .models import Instrument


class CatalogError(DefinitionError):
    """Invalid instrument files; one line per problem: ``<file>: <location>: <what is wrong>``."""


class Catalog(Mapping[str, Instrument]):
    """The loaded instruments by id, sorted by id; read-only."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self._by_id = MappingProxyType({i.id: i for i in sorted(instruments, key=lambda i: i.id)})

    def __getitem__(self, instrument_id: str) -> Instrument:
        return self._by_id[instrument_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __repr__(self) -> str:
        return f"Catalog({', '.join(self._by_id)})"


def load_instrument(path: str | os.PathLike[str]) -> Instrument:
    """Read and validate one instrument file; raises ``CatalogError`` naming every problem."""
    name = str(path)
    instrument = parse_definition(path, Instrument, CatalogError, keys_hint="id, version, …")
    problems = rules.check(instrument, file_id=Path(path).stem)
    if problems:
        raise CatalogError((name, location, message) for location, message in problems)
    return instrument


def load_catalog(directory: str | os.PathLike[str]) -> Catalog:
    """Load every ``*.yaml`` file of a directory; raises one ``CatalogError`` for all bad files."""
    if not Path(directory).is_dir():
        raise CatalogError([(str(directory), "(directory)", "not found")])
    instruments, problems = [], []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            instruments.append(load_instrument(path))
        except CatalogError as exc:
            problems += exc.problems
    if problems:
        raise CatalogError(problems)
    return Catalog(instruments)
