"""Screens (PCL-5's DSM-5 criteria, WHO-5's depression screen) for a pathway's clinician page and GP letter.

A screen is judged again from the stored answers of the latest response per
questionnaire and respondent — the same pure function that scored it — so no
table holds a second copy that could disagree. Plain data out: templates never
touch the database.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from pro_service import db, definitions
from pro_service.i18n import _
from pro_service.instruments.scoring import score
from pro_service.pathways.models import Assessment, Respondent, Response


@dataclass(frozen=True)
class ScreenRow:
    instrument: str
    respondent_role: str
    screen: str
    positive: bool | None
    """None: an unanswered item could change the result."""
    result: str
    on: date


def result_text(positive: bool | None) -> str:
    if positive is None:
        return _("Not decided: an answer that could change it is missing")
    return _("Positive") if positive else _("Negative")


def latest_responses(pathway_id: str, *, until: datetime | None = None) -> list[tuple[Response, Assessment, Respondent]]:
    """Submitted responses of the pathway's instruments that have screens, oldest first (one query)."""
    with_screens = [i.id for i in definitions.catalog().values() if i.screens]
    if not with_screens:
        return []
    query = (select(Response, Assessment, Respondent)
             .join(Assessment, col(Assessment.id) == Response.assessment_id)
             .join(Respondent, col(Respondent.id) == Assessment.respondent_id)
             .where(Assessment.pathway_id == pathway_id, col(Response.submitted_at).is_not(None),
                    col(Assessment.instrument_id).in_(with_screens))
             .order_by(col(Response.submitted_at), col(Response.id)))
    if until is not None:
        query = query.where(col(Response.submitted_at) <= until)
    return list(db.session().exec(query).all())


def screen_rows(rows: Iterable[tuple[Response, Assessment, Respondent]], *, language: str,
                zone: ZoneInfo) -> tuple[ScreenRow, ...]:
    """The screens of the latest response per instrument and respondent, in the reader's language."""
    from pro_service.survey.plan import scored_answers  # the survey area owns how stored answers are read

    catalog = definitions.catalog()
    latest: dict[tuple[str, str], tuple[Response, Assessment, Respondent]] = {}
    for response, assessment, respondent in rows:
        instrument = catalog.get(assessment.instrument_id)
        if instrument is not None and instrument.screens:
            latest[(instrument.id, respondent.id)] = (response, assessment, respondent)
    result = []
    for (instrument_id, _rid), (response, _assessment, respondent) in latest.items():
        instrument = catalog[instrument_id]
        try:
            screens = score(instrument, scored_answers(instrument, response.answers)).screens
        except ValueError:
            continue  # answers stored under an older version of the file: its scores stand, no screen is shown
        for screen in instrument.screens:
            found = screens[screen.id]
            result.append(ScreenRow(
                instrument=_pick(instrument.title, language), respondent_role=str(respondent.role),
                screen=_pick(screen.name, language), positive=found.positive, result=result_text(found.positive),
                on=response.submitted_at.astimezone(zone).date()))  # type: ignore[union-attr]
    return tuple(result)


def _pick(text: Any, language: str) -> str:
    return text.get(language) or text.get("en") or text.get("nb") or next(iter(text.values()))
