"""Sentences that hold numbers, dates and names, each isolated so right-to-left text keeps its order.

In Arabic, "116 117" left bare reads "117 116", and an English title followed by
a full stop takes the stop to its other side. `<bdi>` isolates the inserted value
(Unicode bidi isolation, HTML §4.5.23); digits are set left-to-right explicitly.
"""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from pro_service.survey.plan import Phrase


def number(value: object) -> Markup:
    """Digits (a score, a count, a phone number) that always read left to right."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(value)


def name(value: str | Phrase, around: str | None = None) -> Markup:
    """A name or a date, in whichever direction it is written; marked with its language if not `around`."""
    if isinstance(value, Phrase):
        if value.lang != around:
            return Markup('<bdi lang="{}">{}</bdi>').format(value.lang, value.text)
        value = value.text
    return Markup("<bdi>{}</bdi>").format(value)


def in_language(phrase: Phrase, around: str | None) -> Markup:
    """A phrase from an instrument or package file, marked with its language where the file lacked the one
    around it and it fell back to another (WCAG 3.1.2, language of parts).

    A function, not a template macro: a question page shows some fifty phrases, and a macro call costs
    several times as much (benchmarks/README.md, respondent flow).
    """
    if phrase.lang != around:
        return Markup('<span lang="{}">{}</span>').format(phrase.lang, phrase.text)
    return escape(phrase.text)


def fill(translate: Callable[..., str], **values: Markup) -> Markup:
    """A translated sentence with HTML values: translated around slots that survive escaping, then filled.

    gettext formats plain strings; the slots keep the values out of the escaping.
    """
    slots = {key: f"\x00{index}\x00" for index, key in enumerate(values)}
    text = escape(translate(**slots))
    for key, slot in slots.items():
        text = text.replace(slot, values[key])
    return Markup(text)
