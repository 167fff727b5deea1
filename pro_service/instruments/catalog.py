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
from typing import Any

import yaml
from pydantic import ValidationError

from . import rules
from .models import Instrument


class CatalogError(Exception):
    """Invalid instrument files; one line per problem: ``<file>: <location>: <what is wrong>``."""

    def __init__(self, problems: Iterable[tuple[str, str, str]]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{path}: {location}: {message}" for path, location, message in self.problems))


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


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML that refuses a repeated key, which plain YAML silently overwrites."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_instrument(path: str | os.PathLike[str]) -> Instrument:
    """Read and validate one instrument file; raises ``CatalogError`` naming every problem."""
    name = str(path)
    data = _read_yaml(path, name)
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as exc:
        raise CatalogError((name, _location(error["loc"]), _message(error)) for error in exc.errors()) from None
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


def _read_yaml(path: str | os.PathLike[str], name: str) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError([(name, "(file)", f"cannot be read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise CatalogError([(name, "(file)", "is not UTF-8 text")]) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise CatalogError([(name, location, f"invalid YAML: {exc.problem or exc.context}")]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([(name, "(file)", f"invalid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise CatalogError([(name, "(file)", "must be a mapping of keys (id, version, …) to values")])
    return data


def _location(loc: tuple[int | str, ...]) -> str:
    """Pydantic's ``('scales', 0, 'bands', 2)`` as written in the file: ``scales[0].bands[2]``."""
    location = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            location += f"[{part}]"
        else:
            location += f".{part}" if location else str(part)
    return location or "(file)"


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "required"
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    return str(error["msg"][0].lower() + error["msg"][1:])
