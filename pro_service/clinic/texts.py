"""The clinic's words for the domain's codes, in the reader's language (gettext at call time)."""
from __future__ import annotations

import math
from collections.abc import Mapping

from flask_babel import format_decimal

from pro_service.i18n import _
from pro_service.instruments.models import Instrument, Scale

FALLBACK = {"nb": ("nb", "en"), "nn": ("nn", "nb", "en"), "da": ("da", "nb", "en"), "en": ("en", "nb")}
"""Instrument texts exist in few languages; a nynorsk or Danish reader reads bokmål before English."""


def pick(text: Mapping[str, str], language: str) -> str:
    for code in FALLBACK.get(language, (language, "en")):
        if code in text:
            return text[code]
    return next(iter(text.values()))


def number(value: float | None) -> str:
    if value is None:
        return "–"
    return format_decimal(int(value) if float(value).is_integer() else round(value, 1))


def category(code: str | None) -> str:
    return {
        "recovered": _("Recovered"),
        "improved": _("Improved"),
        "unchanged": _("No reliable change"),
        "deteriorated": _("Deteriorated"),
        "relevant_improvement": _("Clinically relevant improvement"),
        "no_relevant_change": _("No clinically relevant change"),
        "relevant_deterioration": _("Clinically relevant deterioration"),
    }.get(code or "", _("Not classified"))


def respondent(role: str) -> str:
    return {
        "self": _("Patient"),
        "parent": _("Parent or guardian"),
        "other_relative": _("Other relative"),
        "teacher": _("Teacher"),
    }.get(role, role)


def limit_status(status: str) -> str:
    return {
        "not_started": _("Not started"),
        "pending": _("Running"),
        "at_risk": _("At risk"),
        "overdue": _("Overdue"),
        "met": _("Met"),
        "missed": _("Missed"),
    }.get(status, status)


def assessment_status(status: str) -> str:
    return {
        "scheduled": _("Scheduled"),
        "open": _("Waiting for answer"),
        "in_progress": _("Started"),
        "completed": _("Answered"),
        "expired": _("Missing (expired)"),
        "cancelled": _("Cancelled"),
    }.get(status, status)


def band(scale: Scale, code: str | None, language: str) -> str:
    found = next((b for b in scale.bands if b.code == code), None)
    return pick(found.label, language) if found else "–"


def basis(instrument: Instrument, scale: Scale, *, prorated: bool, languages: set[str]) -> str:
    """The change rule and what qualifies the numbers, in one line: threshold, cut-off, prorating, translation."""
    parts = []
    rc = scale.reliable_change
    if rc is None or rc.kind == "not_classified":
        parts.append(_("no reliable-change basis"))
    elif rc.kind == "clinically_relevant_difference":
        parts.append(_("clinically relevant difference ≥ %(points)s points (not a reliable-change threshold)",
                       points=number(rc.threshold)))
    elif rc.threshold is not None:
        parts.append(_("reliable change ≥ %(points)s points (manual's threshold)", points=number(rc.threshold)))
    else:
        points = round(1.96 * rc.sd * math.sqrt(2 * (1 - rc.reliability)), 2)
        parts.append(_("reliable change ≥ %(points)s points (Jacobson–Truax)", points=number(points)))
    if scale.caseness is not None:
        sign = "≥" if scale.caseness.min is not None else "≤"
        parts.append(_("clinical cut-off %(sign)s %(cut)s", sign=sign, cut=number(scale.caseness.cut_off)))
    else:
        parts.append(_("no clinical cut-off"))
    if prorated:
        parts.append(_("prorated for missing answers"))
    provisional = sorted(code for code in languages
                         if code in instrument.languages and instrument.languages[code].status == "provisional")
    if provisional:
        # Plain words for the clinician; which translation and its provenance stay on the instrument's page.
        parts.append(_("answered in a translation not yet validated"))
    return "; ".join(parts)
