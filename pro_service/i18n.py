"""Languages of the service: gettext helpers, locale selection and text direction."""
from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import force_locale, get_locale, get_translations, gettext, lazy_gettext, ngettext
from jinja2 import pass_context
from jinja2.runtime import Context

_ = gettext
_l = lazy_gettext

__all__ = ["_", "_l", "ngettext", "force_locale", "get_locale", "select_locale", "text_direction", "LOCALES"]

# The ten languages a respondent can choose, in the order the language menu shows them.
LOCALES: dict[str, str] = {
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "se": "Davvisámegiella",
    "da": "Dansk",
    "sv": "Svenska",
    "en": "English",
    "ar": "العربية",
    "pl": "Polski",
    "so": "Soomaali",
    "uk": "Українська",
}
RTL_LOCALES = frozenset({"ar"})


def select_locale() -> str:
    """The respondent's explicit choice first, then the browser's preference, then the default."""
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    best = request.accept_languages.best_match(list(LOCALES))
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction(locale: str | None = None) -> str:
    code = locale or str(get_locale())
    return "rtl" if code.split("_")[0] in RTL_LOCALES else "ltr"


TRANSLATIONS = "_translations"
"""The template variable that holds the translations of the locale a template is rendered in."""


def init_app(app: Flask) -> None:
    """Templates translate with the translations looked up once per rendered template.

    Flask-Babel looks them up anew for every `_()` in a template (its context,
    the locale, the cache: about 20 µs, and a page has a dozen or more). The
    lookup now runs in a context processor, so in the locale the template is
    rendered in, `force_locale` included. A macro imported without context has
    no such variable and looks them up as before.
    """
    app.context_processor(lambda: {TRANSLATIONS: get_translations()})
    app.jinja_env.install_gettext_callables(gettext=_template_gettext, ngettext=_template_ngettext, newstyle=True)


def _translations(context: Context):
    translations = context.get(TRANSLATIONS)
    return get_translations() if translations is None else translations


@pass_context
def _template_gettext(context: Context, string: str) -> str:
    return _translations(context).ugettext(string)


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, number: int) -> str:
    return _translations(context).ungettext(singular, plural, number)
