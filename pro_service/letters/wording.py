"""What a GP letter says in words: the summary lines, the patient's own view, the change and its basis.

Pure functions over the letter's plain data, called inside `force_locale(gp.language)`.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

from pro_service import definitions
from pro_service.i18n import _, get_locale
from pro_service.instruments.models import Scale

if TYPE_CHECKING:
    from pro_service.letters.context import Result

READINESS = "readiness"
"""The patient's view of the treatment (surveys/instruments/readiness.yaml): stated in one line."""
FALLBACK = {"nb": ("nb", "en"), "nn": ("nn", "nb", "en"), "da": ("da", "nb", "en"), "en": ("en", "nb")}
"""Instrument texts exist in few languages; a nynorsk or Danish GP reads bokmål before English."""


def pick(text, language: str) -> str:
    for code in FALLBACK.get(language, (language, "en")):
        if code in text:
            return text[code]
    return next(iter(text.values()))


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def short_name(title: str) -> str:
    """"Patient Health Questionnaire (PHQ-9)" → "PHQ-9": the name a GP scans for."""
    found = re.search(r"\(([^()]+)\)\s*$", title)
    return found.group(1) if found else title


def summary_line(result: Result) -> str | None:
    """"PHQ-9 18 → 7: reliably improved and out of the clinical range." — None without a baseline and a later score."""
    if result.baseline is None or result.latest is None:
        return None
    phrases = {
        "recovered": _("reliably improved and out of the clinical range"),
        "improved": _("reliably improved, still in the clinical range or without a cut-off"),
        "unchanged": _("no reliable change"),
        "deteriorated": _("reliably worse"),
        "relevant_improvement": _("clinically relevant improvement"),
        "no_relevant_change": _("no clinically relevant change"),
        "relevant_deterioration": _("clinically relevant deterioration"),
    }
    phrase = phrases.get(result.category, _("change not classified (no reliable-change threshold)"))
    name = result.short if result.respondent == _("the patient") else _(
        "%(questionnaire)s (%(respondent)s)", questionnaire=result.short, respondent=result.respondent)
    return _("%(questionnaire)s %(before)s → %(after)s: %(meaning)s.", questionnaire=name,
             before=number(result.baseline.value), after=number(result.latest.value), meaning=phrase)


def number(value: float) -> str:
    return format_decimal(value, locale=str(get_locale()))


def patient_view(rows, language: str, zone: ZoneInfo) -> str | None:
    """The latest answers to the readiness questions, in one line of the GP's language."""
    catalog = definitions.catalog()
    latest: dict[str, tuple[str, date]] = {}
    for score, response, assessment, respondent, _milestone, _at in rows:
        instrument = catalog.get(assessment.instrument_id)
        if (instrument is None or instrument.id != READINESS or respondent.role != "self"
                or score.value is None):
            continue
        band = instrument.scale(score.scale_id).band_for(score.value)
        if band is not None:
            latest[score.scale_id] = (pick(band.label, language), local_date(response.submitted_at, zone))
    if "helps" not in latest or "ready" not in latest:
        return None
    return _("In the patient's own words (%(date)s): %(helps)s; %(ready)s.",
             date=format_date(latest["ready"][1], "long", locale=language),
             helps=latest["helps"][0].lower(), ready=latest["ready"][0].lower())


def category_text(category: str | None) -> str:
    texts = {
        "recovered": _("Recovered: reliably better, and now outside the clinical range."),
        "improved": _("Improved: reliably better, but still in the clinical range or without a cut-off."),
        "unchanged": _("No reliable change: the difference is within the questionnaire's measurement error."),
        "deteriorated": _("Deteriorated: reliably worse."),
        "relevant_improvement": _("Clinically relevant improvement: better by at least the published difference."),
        "no_relevant_change": _("No clinically relevant change."),
        "relevant_deterioration": _("Clinically relevant deterioration: worse by at least the published difference."),
    }
    return texts.get(category, _("The change cannot be classified: this questionnaire has no reliable-change threshold."))


def basis(scale: Scale, language: str) -> str:
    """The change rule in plain words; the same threshold and cut-off as `instruments.change`."""
    parts = []
    rc = scale.reliable_change
    if rc is None or rc.kind == "not_classified":
        parts.append(_("This questionnaire has no published reliable-change threshold."))
    elif rc.kind == "clinically_relevant_difference":
        parts.append(_("A change of at least %(points)s points is clinically relevant (a published difference "
                       "patients notice, not a measurement-error threshold).",
                       points=format_decimal(rc.threshold, locale=language)))
    elif rc.threshold is not None:
        parts.append(_("A change of at least %(points)s points counts as reliable (the manual's threshold).",
                       points=format_decimal(rc.threshold, locale=language)))
    else:
        points = round(1.96 * rc.sd * math.sqrt(2 * (1 - rc.reliability)), 2)
        parts.append(_("A change of at least %(points)s points counts as reliable (Jacobson–Truax).",
                       points=format_decimal(points, locale=language)))
    if scale.caseness is not None:
        cut = format_decimal(scale.caseness.cut_off, locale=language)
        if scale.caseness.min is not None:
            parts.append(_("A score of %(cut)s or more is in the clinical range.", cut=cut))
        else:
            parts.append(_("A score of %(cut)s or less is in the clinical range.", cut=cut))
    if scale.direction == "higher_is_worse":
        parts.append(_("Higher scores mean more difficulties."))
    else:
        parts.append(_("Higher scores mean better health."))
    return " ".join(parts)
