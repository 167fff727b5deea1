"""The review page's answers: each question asked with the answer given, so a respondent can check before sending."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pro_service.instruments.models import Instrument
from pro_service.survey.plan import Phrase, is_scored, phrase_in, scored_answers, skipped


@dataclass(frozen=True)
class ReviewAnswer:
    """A question asked, with its answer's label (None: not answered, and `url` leads to it)."""

    number: int
    text: Phrase
    answer: Phrase | None
    url: str | None


def answered_items(instrument: Instrument, answers: dict[str, Any], language: str,
                   item_url) -> tuple[ReviewAnswer, ...]:
    """The questions asked (a skip rule's left-out items are not), each with its answer's label or None.

    Only the items that count are listed, the same ones the page's "not answered" count and marks are
    made from, so the list and the counts agree.
    """
    given = scored_answers(instrument, answers)
    not_asked = skipped(instrument, answers)
    rows = []
    for item in instrument.items:
        if not is_scored(instrument, item) or item.number in not_asked:
            continue
        position = given.get(item.number)
        options = instrument.response_scale(item).options or ()
        answer: Phrase | None = None
        if position is not None and 0 <= int(position) < len(options):
            answer = phrase_in(options[int(position)].label, language)
        rows.append(ReviewAnswer(number=item.number, text=phrase_in(item.text, language), answer=answer,
                                 url=None if answer else item_url(item.number)))
    return tuple(rows)
