"""The respondent's forms; every one carries a CSRF token (Flask-WTF)."""
from __future__ import annotations

import re
from functools import cache

from babel import support
from flask import Request, current_app
from flask_babel import get_locale
from wtforms import HiddenField, RadioField, SelectChoice, StringField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from pro_service.i18n import LOCALES, _l
from pro_service.instruments.models import Instrument, Item
from pro_service.plain_text import PlainTextForm
from pro_service.survey.kept import kept_for


@cache
def _wtforms_catalogue(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    """WTForms' own messages in the page's language, each catalogue read once per process.

    Flask-WTF would read the catalogue from disk again on every request that shows a form.
    """

    def gettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


WTFORMS_MESSAGES = _WTFormsMessages()


class RespondentForm(PlainTextForm):
    class Meta(PlainTextForm.Meta):
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return WTFORMS_MESSAGES


class CodeForm(RespondentForm):
    code = StringField(_l("Code"), validators=[DataRequired(message=_l("Type the code from your letter.")),
                                               Length(max=20)])


class LanguageForm(RespondentForm):
    lang = HiddenField(validators=[DataRequired()])
    next = HiddenField()

    def validate_lang(self, field) -> None:
        if field.data not in LOCALES:
            # ValidationError, not ValueError: WTForms 3.2 lets a ValueError through as a 500.
            raise ValidationError("unknown language")


class ChoiceForm(RespondentForm):
    language = RadioField(validators=[DataRequired(message=_l("Choose a language."))])


class SubmitForm(RespondentForm):
    key = HiddenField(label="", validators=[DataRequired()])  # hidden: no label to translate (see PageForm)
    asked = HiddenField(label="")
    """Set once the review page has asked about an unanswered critical item: the next submit goes through."""


class PageForm(RespondentForm):
    """One page of one instrument; items are added per page by `page_form`.

    Its fields have empty labels: the page's template writes the questions itself, and a field without a
    label would translate a name made from its own (WTForms), each field on each request.
    """

    nav = HiddenField(label="")
    lang = HiddenField(label="")


def item_field(number: int) -> str:
    return f"item_{number}"


_PAGE_FORMS: dict = {}
"""Each page's form class, built once per process: building one cost more than filling it in."""


def page_form(instrument: Instrument, items: tuple[Item, ...], language: str, **kwargs) -> PageForm:
    """A form with one optional radio group per item (missing answers are checked at review, not here)."""
    form_class = kept_for(_PAGE_FORMS, instrument, (tuple(item.number for item in items), language),
                          lambda: _page_class(instrument, items, language))
    return form_class(**kwargs)


def _page_class(instrument: Instrument, items: tuple[Item, ...], language: str) -> type[PageForm]:
    class Page(PageForm):
        pass

    for item in items:
        options = instrument.response_scale(item).options or ()
        choices = [SelectChoice(str(position), option.label.get(language) or option.label.get("en", ""))
                   for position, option in enumerate(options)]
        setattr(Page, item_field(item.number), RadioField(label="", choices=choices, validators=[Optional()]))
    return Page


def page_answers(form: PageForm, items: tuple[Item, ...]) -> dict[int, int | None]:
    answers = {}
    for item in items:
        value = form[item_field(item.number)].data
        answers[item.number] = int(value) if value not in (None, "", "None") else None
    return answers


ITEM_FIELD = re.compile(r"item_([1-9][0-9]{0,3})")


def one_answer(request: Request) -> tuple[int, str] | None:
    """The single answer an autosave sends: JSON ``{"item": 3, "answer": 2}`` or the form field ``item_3=2``.

    Returns the item number and the answer as the page's form would receive it; None when the body is not one answer.
    """
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # nested thousands deep: not one answer (silent=True catches only ValueError)
            return None
        if not isinstance(body, dict) or set(body) != {"item", "answer"}:
            return None
        item, answer = body["item"], body["answer"]
        if type(item) is not int or type(answer) is not int:
            return None
        return item, str(answer)
    fields = [key for key in request.form if key != "csrf_token"]
    match = ITEM_FIELD.fullmatch(fields[0]) if len(fields) == 1 else None
    values = request.form.getlist(fields[0]) if match else []
    return (int(match.group(1)), values[0]) if len(values) == 1 else None
