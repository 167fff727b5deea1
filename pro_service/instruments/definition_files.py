"""Reading a definition file (instrument or package) into a frozen model, or saying what is wrong.

Shared by the instrument and package loaders so both report problems the same
way: ``<file as given>: <location as written in the file>: <what is wrong>``.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class DefinitionError(Exception):
    """Invalid definition files; one line per problem: ``<file>: <location>: <what is wrong>``."""

    def __init__(self, problems: Iterable[tuple[str, str, str]]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{path}: {location}: {message}" for path, location, message in self.problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML that refuses a repeated key, which plain YAML silently overwrites."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_definition(path: str | os.PathLike[str], model: type[Model], error: type[DefinitionError],
                     *, keys_hint: str) -> Model:
    """Read one YAML file and validate it as `model`; raises `error` naming every problem."""
    name = str(path)
    data = _read_yaml(path, name, error, keys_hint)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error((name, _location(e["loc"]), _message(e)) for e in exc.errors()) from None


def _read_yaml(path: str | os.PathLike[str], name: str, error: type[DefinitionError], keys_hint: str) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error([(name, "(file)", f"cannot be read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise error([(name, "(file)", "is not UTF-8 text")]) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise error([(name, location, f"invalid YAML: {exc.problem or exc.context}")]) from None
    except yaml.YAMLError as exc:
        raise error([(name, "(file)", f"invalid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise error([(name, "(file)", f"must be a mapping of keys ({keys_hint}) to values")])
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
