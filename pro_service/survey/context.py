"""Plain data for the respondent's templates, built in one place so rendering never touches the database."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import abort, current_app, url_for
from markupsafe import Markup, escape
from wtforms import SelectChoice

from pro_service import db
from pro_service.i18n import LOCALES, _, ngettext
from pro_service.instruments.models import Instrument, Item
from pro_service.pathways.models import Invitation, Unit
from pro_service.survey import bidi, goal_context
from pro_service.survey import thanks as thanks_words
from pro_service.survey import welcome as welcome_words
from pro_service.survey.review import ReviewAnswer, answered_items
from pro_service.survey.forms import item_field
from pro_service.survey.kept import kept_for
from pro_service.survey.plan import (
    MissingProblem,
    Phrase,
    minutes_for,
    missing_problems,
    open_critical,
    live_rules,
    page_of_item,
    skipped,
    phrase_in,
    unanswered,
)
from pro_service.survey.queries import (
    Questionnaire,
    Survey,
    UnitContact,
    pathway_of,
    has_critical_answer,
    own_scores,
    survey_for,
    unit_contact,
)
from pro_service.types import utcnow
from pro_service.redirects import is_local_path


def safe_next(value: str | None) -> str:
    """Only a path of this site: never another host, so the language form cannot be an open redirect."""
    if is_local_path(value):
        return value
    return url_for("survey.welcome")


def questionnaire(survey: Survey, number: int) -> Questionnaire:
    if not 1 <= number <= len(survey.questionnaires):
        abort(404)
    return survey.questionnaires[number - 1]


def page_items(q: Questionnaire, page: int) -> tuple[Item, ...]:
    pages = q.pages
    if not 1 <= page <= len(pages):
        abort(404)
    return pages[page - 1]


def saved(q: Questionnaire) -> dict[str, str]:
    return {item_field(int(number)): str(value) for number, value in q.answers.items() if value is not None}


def language_name(code: str) -> str:
    """A language in its own name, as the menu and the choice page show it."""
    if code in LOCALES:
        return LOCALES[code]
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    except (UnknownLocaleError, ValueError):
        return code


def likely_language(instrument: Instrument) -> str | None:
    """The language a respondent here most likely reads besides their own: the unit's (the service's default)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return default if default in instrument.languages else None


def language_choices(instrument: Instrument) -> list[SelectChoice]:
    """The instrument's languages, the likely one first (it is preselected)."""
    likely = likely_language(instrument)
    codes = sorted(instrument.languages, key=lambda code: code != likely)
    return [SelectChoice(code, language_name(code)) for code in codes]


def _resume_url(survey: Survey) -> str:
    """Where the respondent left off: the first page with an unanswered question, else the review."""
    for q in survey.questionnaires:
        if q.language is None:
            return url_for("survey.instrument_language", number=q.number)
        open_items = unanswered(q.instrument, q.answers)
        if open_items:
            page_number = page_of_item(q.instrument, open_items[0], q.answers, live=q.live)
            return url_for("survey.page", number=q.number, page=page_number)
    return url_for("survey.review")


def welcome(survey: Survey) -> dict[str, Any]:
    items = sum(len(q.instrument.items) for q in survey.questionnaires)
    started = any(q.answers for q in survey.questionnaires)
    return {
        "unit": survey.unit, "why": welcome_words.why(survey.milestone_id),
        "questionnaire_count": len(survey.questionnaires), "item_count": items, "minutes": minutes_for(items),
        "questionnaires": [_listed(q, survey.locale) for q in survey.questionnaires], "started": started,
        "start_url": _resume_url(survey) if survey.questionnaires else None,
        "goals": goal_context.welcome_goals(survey),
    }


def _title(q: Questionnaire, locale: str) -> Phrase:
    """The title in the questionnaire's language, else the page's (titles exist in more languages than items)."""
    return phrase_in(q.instrument.title, q.language or locale)


def _listed(q: Questionnaire, locale: str) -> dict[str, Phrase | None]:
    """A questionnaire as the welcome page lists it: its title and what it asks about, in one line each."""
    description = q.instrument.description
    return {"title": _title(q, locale),
            "description": phrase_in(description, q.language or locale) if description else None}


def marked(phrase: Phrase, around: str) -> Markup:
    """A phrase as HTML, in a ``<span lang>`` where it is not in the language around it (WCAG 3.1.2)."""
    if phrase.lang == around:
        return escape(phrase.text)
    return Markup('<span lang="{}">{}</span>').format(phrase.lang, phrase.text)


def sentence(translate: Callable[[str], str], phrase: Phrase, around: str) -> Markup:
    """A translated sentence that holds a phrase from a file, the phrase marked in its own language.

    gettext formats plain strings, so the sentence is translated around a slot that
    survives escaping, and only then does the slot take the marked phrase.
    """
    slot = "\x00"
    # <bdi>: an English title in an Arabic sentence keeps its brackets and the colon after it in place.
    return escape(translate(slot)).replace(slot, Markup("<bdi>{}</bdi>").format(marked(phrase, around)))


def language_choice(survey: Survey, q: Questionnaire) -> dict[str, Any]:
    listed = _listed(q, survey.locale)
    return {"unit": survey.unit, "title": listed["title"], "description": listed["description"], "number": q.number,
            "total": len(survey.questionnaires)}


def next_url(survey: Survey, number: int, page: int, *, back: bool) -> str:
    q = survey.questionnaires[number - 1]
    if back:
        if page > 1:
            return url_for("survey.page", number=number, page=page - 1)
        if number > 1:
            previous = survey.questionnaires[number - 2]
            return url_for("survey.page", number=number - 1, page=previous.page_count)
        return url_for("survey.welcome")
    if page < q.page_count:
        return url_for("survey.page", number=number, page=page + 1)
    if number < len(survey.questionnaires):
        return url_for("survey.page", number=number + 1, page=1)
    return url_for("survey.review")


def progress(number: int, total: int, page: int, pages: int) -> str:
    if pages == 1:
        return _("Questionnaire %(number)d of %(total)d", number=number, total=total)
    return _("Questionnaire %(number)d of %(total)d, page %(page)d of %(pages)d",
             number=number, total=total, page=page, pages=pages)


def invalid_items(form, items: tuple[Item, ...]) -> frozenset[int]:
    """Items whose sent answer is not one of their options (a tampered form): shown as errors, not dropped."""
    return frozenset(item.number for item in items if form[item_field(item.number)].errors)


@dataclass(frozen=True)
class PageOption:
    value: str
    id: str
    label: Markup
    """The option's text, marked with its language where the file lacked the page's (`bidi.in_language`)."""


@dataclass(frozen=True)
class PageItem:
    """One question as its page shows it. Attributes, not a dict: the template reads each some ten times."""

    number: int
    field: str
    text: Phrase
    options: tuple[PageOption, ...]
    error: str | None
    skipped: bool


def page(survey: Survey, q: Questionnaire, page_number: int, *, check: bool,
         invalid: frozenset[int] = frozenset()) -> dict[str, Any]:
    language = q.language
    instrument = q.instrument
    needed = _needed(missing_problems(instrument, q.answers)) if check else None
    items = []
    shown = page_items(q, page_number)
    not_asked = skipped(instrument, q.answers)
    for item in shown:
        error = None
        if item.number in invalid:
            error = _("Choose one of the answer options.")
        elif needed and item.number in needed[0]:
            error = _("Please answer this question.")
        text, options = _question(instrument, item, language)
        items.append(PageItem(number=item.number, field=item_field(item.number), text=text, options=options,
                              error=error, skipped=item.number in not_asked))
    summary = None
    if invalid:
        summary = _("An answer on this page was not one of the options. Choose again, then go on.")
    elif needed:
        summary = ngettext("Please answer at least %(num)d more of the marked questions.",
                           "Please answer at least %(num)d more of the marked questions.", needed[1])
    return {
        "unit": survey.unit, "title": phrase_in(instrument.title, language),
        "instructions": phrase_in(instrument.instructions, language), "content_lang": language,
        "items": items, "number": q.number, "page_number": page_number,
        "skip_rules": live_rules(instrument, q.answers, {item.number for item in shown}),
        "progress": progress(q.number, len(survey.questionnaires), page_number, q.page_count),
        "error_summary": summary, "answers_form": "answers",
        "errors": [{"href": f"#item-{i.number}-0", "text": Phrase(f"{i.number}. {i.text.text}", i.text.lang)}
                   for i in items if i.error],
        "first_page": q.number == 1 and page_number == 1,
        "last_page": q.number == len(survey.questionnaires) and page_number == q.page_count,
    }


def _question(instrument: Instrument, item: Item, language: str) -> tuple[Phrase, tuple[PageOption, ...]]:
    """An item's text and options in a language, made once per process: a page has some forty of them
    (benchmarks/README.md, respondent flow)."""
    def make() -> tuple[Phrase, tuple[PageOption, ...]]:
        options = tuple(PageOption(value=str(position), id=f"item-{item.number}-{position}",
                                   label=bidi.in_language(phrase_in(option.label, language), language))
                        for position, option in enumerate(instrument.response_scale(item).options or ()))
        return phrase_in(item.text, language), options

    return kept_for(_QUESTIONS, instrument, (item.number, language), make)


_QUESTIONS: dict = {}


def _needed(problems: tuple[MissingProblem, ...]) -> tuple[frozenset[int], int] | None:
    """The items to mark and how many of them must be answered, across the scales that cannot be scored."""
    if not problems:
        return None
    return frozenset(n for p in problems for n in p.unanswered), max(p.needed for p in problems)


def open_critical_items(survey: Survey) -> bool:
    """Whether a critical item (PHQ-9 item 9, …) is still unanswered in any questionnaire."""
    return any(open_critical(q.instrument, q.answers) for q in survey.questionnaires)


@dataclass(frozen=True)
class OpenItem:
    """A question asked and not answered, as the review page lists it."""

    number: int
    text: Phrase
    lang: str
    """The questionnaire's language, around the text (which may have fallen back to another)."""
    url: str
    required: bool = False
    """Its scale cannot be scored without more answers."""


@dataclass(frozen=True)
class ReviewRow:
    """One questionnaire on the review page. Attributes, not a dict, as for `PageItem`."""

    number: int
    title: Phrase
    lang: str
    unanswered: tuple[OpenItem, ...]
    needed: int
    answers: tuple[ReviewAnswer, ...]
    edit_url: str
    id: str


def review(survey: Survey, refused: dict[int, tuple[MissingProblem, ...]] | None = None, *,
           ask_critical: bool = False) -> dict[str, Any]:
    """The review page; `ask_critical`: the submit was held once to ask about unanswered critical items."""
    rows = []
    errors = []
    critical = []
    for q in survey.questionnaires:
        language = q.language or next(iter(q.instrument.languages))
        needed = _needed(missing_problems(q.instrument, q.answers))
        open_items = tuple(OpenItem(number=n, text=phrase_in(q.instrument.item(n).text, language), lang=language,
                                    url=_item_url(q, n), required=bool(needed and n in needed[0]))
                           for n in unanswered(q.instrument, q.answers))
        row = ReviewRow(number=q.number, title=phrase_in(q.instrument.title, language), lang=language,
                        unanswered=open_items, needed=needed[1] if needed else 0,
                        answers=answered_items(q.instrument, q.answers, language, lambda n, q=q: _item_url(q, n)),
                        edit_url=url_for("survey.page", number=q.number, page=1), id=f"questionnaire-{q.number}")
        rows.append(row)
        if ask_critical:
            critical += [OpenItem(number=n, text=phrase_in(q.instrument.item(n).text, language), lang=language,
                                  url=_item_url(q, n)) for n in open_critical(q.instrument, q.answers)]
        if refused and needed:
            errors.append({"href": "#" + row.id, "text": sentence(lambda title: ngettext(
                "%(title)s: please answer at least %(num)d more question.",
                "%(title)s: please answer at least %(num)d more questions.", needed[1], title=title),
                row.title, survey.locale)})
    return {"unit": survey.unit, "rows": rows, "errors": errors, "critical_open": critical,
            "can_submit": all(row.needed == 0 for row in rows), "goals": goal_context.review_goals(survey)}


def _item_url(q: Questionnaire, number: int) -> str:
    page_number = page_of_item(q.instrument, number, q.answers, live=q.live)
    return url_for("survey.page", number=q.number, page=page_number, check=1, _anchor=f"item-{number}-0")


def unit_id(invitation: Invitation) -> str:
    return pathway_of(invitation).unit_id


def _unit(unit_id_: str) -> UnitContact | None:
    unit = db.session().get(Unit, unit_id_)
    return UnitContact(name=unit.name, phone=unit.phone, email=unit.email) if unit else None


def tablet_unit(unit_id_: str | None) -> UnitContact | None:
    """The unit a clinic tablet belongs to, known once a respondent has finished on it."""
    return _unit(unit_id_) if unit_id_ else None


def outcome(finished: dict | None, invitation: Invitation | None) -> dict[str, Any] | None:
    """What the respondent sees after submit; None when nothing was submitted in this session."""
    if finished:
        return {"critical": finished["critical"], "unit": _unit(finished["unit"]), "tablet": True}
    if invitation is None or invitation.used_at is None:
        return None
    return {"critical": has_critical_answer(invitation), "unit": unit_contact(invitation), "tablet": False}


def thanks(finished: dict | None, invitation: Invitation | None, *, locale: str) -> dict[str, Any]:
    if finished:
        return {"unit": _unit(finished["unit"]), "tablet": True, "histories": [], "told_again": False}
    survey = survey_for(invitation, locale=locale, now=utcnow())
    histories = own_scores(invitation, locale=locale) if survey.sees_own_scores else ()
    return {"unit": survey.unit, "tablet": False, "told_again": survey.reachable,
            "histories": [thanks_words.history(h, i, locale=locale) for i, h in enumerate(histories)]}
