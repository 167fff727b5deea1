"""Languages of the service: gettext helpers, locale selection and text direction."""
from __future__ import annotations

from flask import current_app, request, session
from flask_babel import force_locale, get_locale, gettext, lazy_gettext, ngettext

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
