"""Plain data for the GP-letter section of the pathway page and for the letter page.

The preview is the letter's own HTML (letters.operations.preview_html), the very
text the PDF is made from, placed into the clinic page: only its <body>, without
the <style> elements the page's CSP would refuse anyway, headings two levels down
so they sit under the page's "Preview" heading.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import url_for
from flask_babel import format_date, format_datetime
from markupsafe import Markup

from pro_service.clinic.context import milestone_name
from pro_service.i18n import LOCALES, _
from pro_service.letters.models import GeneralPractitioner
from pro_service.letters.queries import EventLetters, LetterSummary

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.S)
_HEADING = re.compile(r"<(/?)h([1-4])\b")


def embedded(html: str) -> Markup:
    """The letter's body for the clinic page.

    Safe as Markup: the HTML comes from the autoescaped letter template, so text
    a person typed (note, names) is escaped and cannot open or close a tag.
    """
    found = _BODY.search(html)
    body = _STYLE.sub("", found.group(1) if found else html)
    return Markup(_HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}", body))


def download_name(event: EventLetters, version: LetterSummary) -> str:
    """No name, birth date or record number: a file name outlives where it was saved."""
    return f"gp-letter-{event.milestone.replace('_', '-')}-{version.occurred_at:%Y-%m-%d}-v{version.version}.pdf"


def _urls(pathway_id: str, event_id: str) -> dict[str, str]:
    ids = {"pathway_id": pathway_id, "event_id": event_id}
    return {name: url_for(f"clinic.letter_{name}", **ids)
            for name in ("page", "draft", "preview_pdf", "finalize", "correct")}


def _version(pathway_id: str, event: EventLetters, summary: LetterSummary,
             names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "version": summary.version,
        "by": names.get(summary.finalized_by, summary.finalized_by),
        "at": format_datetime(summary.finalized_at, "short"),
        "language": LOCALES.get(summary.language, summary.language),
        "sha256": summary.sha256,
        "superseded": summary.superseded,
        "supersedes": next((v.version for v in event.versions if v.id == summary.supersedes_id), None),
        "download_url": url_for("clinic.letter_download", pathway_id=pathway_id, event_id=event.milestone_event_id,
                                version=summary.version),
    }


def status(event: EventLetters, names: Mapping[str, str] | None = None) -> str:
    newest = event.newest
    if newest is None:
        return _("Draft note saved") if event.draft_note is not None else _("Not started")
    text = _("Finalized, version %(version)s, by %(by)s, %(at)s", version=newest.version,
             by=(names or {}).get(newest.finalized_by, newest.finalized_by),
             at=format_datetime(newest.finalized_at, "short"))
    if event.draft_note is not None:
        text += " " + _("A correction is being drafted.")
    return text


def event_letter(pathway_id: str, package_id: str, event: EventLetters,
                 names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`names`: finalizers' e-mail → name (clinic.queries.clinician_names); the address is shown without one."""
    names = names or {}
    return {
        "id": event.milestone_event_id,
        "milestone": milestone_name(package_id, event.milestone),
        "date": format_date(event.occurred_at, "medium"),
        "status": status(event, names),
        "finalized": event.newest is not None,
        "versions": [_version(pathway_id, event, v, names) for v in reversed(event.versions)],
        "urls": _urls(pathway_id, event.milestone_event_id),
    }


def gp_details(gp: GeneralPractitioner | None) -> dict[str, Any] | None:
    if gp is None:
        return None
    return {"name": gp.name, "practice": gp.practice, "address": gp.address,
            "language": LOCALES.get(gp.language, gp.language)}


def pathway_letters(pathway_id: str, package_id: str, events: list[EventLetters],
                    gp: GeneralPractitioner | None) -> dict[str, Any]:
    return {"events": [event_letter(pathway_id, package_id, e) for e in events], "gp": gp_details(gp)}
