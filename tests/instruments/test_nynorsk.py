"""Nynorsk texts are Nynorsk: no tell-tale Bokmål word in any ``nn`` text of an instrument or package file.

A Nynorsk reader notices "ikke", "noen" or "uken" at once; a list of words that
exist only in Bokmål (their Nynorsk forms in the comments) catches the slips a
translator from Bokmål makes most.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pro_service.config import Settings

SURVEYS_DIR = Settings().surveys_dir
FILES = sorted(SURVEYS_DIR.glob("instruments/*.yaml")) + sorted(SURVEYS_DIR.glob("packages/*.yaml"))

BOKMAL_ONLY = frozenset({
    "ikke",                                    # ikkje
    "hjem", "hjemme",                          # heim, heime
    "noen", "noe",                             # nokon, noko
    "mye",                                     # mykje
    "hver", "hvert",                           # kvar, kvart
    "hva", "hvordan", "hvor", "hvis", "hvilke", "hvilken",  # kva, korleis, kor, viss/om, kva for
    "jeg",                                     # eg
    "følelse", "følelser",                     # kjensle, kjensler
    "uke", "uken", "ukene",                    # veke, veka, vekene
    "måned", "måneden", "månedene",            # månad, månaden, månadene
    "de", "dem",                               # dei
    "bare", "selv",                            # berre, sjølv
    "sannsynlig", "alvorlig", "vanlig", "dårlig", "vanskelig", "mulig",  # -leg
    "avhengighet",                             # avhengnad
    "spørreskjema",                            # spørjeskjema
    "utredning", "henvisning",                 # utgreiing, tilvising
    "voksne",                                  # vaksne
    "ble", "fikk",                             # vart/blei, fekk
})


def _nynorsk(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "nn" and isinstance(value, str):
                yield f"{where}.nn", value
            else:
                yield from _nynorsk(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nynorsk(value, f"{where}[{index}]")


def _bokmal_words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower())) & BOKMAL_ONLY


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_nynorsk_texts_have_no_bokmal_only_words(path: Path):
    texts = list(_nynorsk(yaml.safe_load(path.read_text(encoding="utf-8"))))
    found = {where: sorted(_bokmal_words(text)) for where, text in texts if _bokmal_words(text)}
    assert found == {}


def test_the_bokmal_check_catches_bokmal_and_passes_nynorsk():
    assert _bokmal_words("Har du ikke følt deg vel den siste uken?") == {"ikke", "uken"}
    assert _bokmal_words("Har du ikkje kjent deg vel den siste veka?") == set()


def test_every_shipped_file_with_nynorsk_is_checked():
    checked = [path.stem for path in FILES if list(_nynorsk(yaml.safe_load(path.read_text(encoding="utf-8"))))]
    assert {"phq9", "core10", "wsas", "mh_adults"} <= set(checked)
