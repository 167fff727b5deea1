"""``pro-service translations extract|update|compile``: the gettext catalogues, through pybabel.

Plain click commands: they need neither the app nor a database. pybabel runs in
a subprocess from the project root, so the file names in ``messages.pot`` are
relative to the project and the same on every machine.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from pro_service.config import PROJECT_ROOT
from pro_service.i18n import LOCALES

TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
TEMPLATE = TRANSLATIONS_DIR / "messages.pot"
MAPPING = TRANSLATIONS_DIR / "babel.cfg"
COMMENT_TAG = "TRANSLATORS:"
HEADER_COMMENT = "# Texts of the pro-service user interface. See README.md, Translations.\n#"
# Flask-Babel's lazy helpers, beside pybabel's defaults (_, gettext, ngettext, pgettext, …).
KEYWORDS = ("_l", "lazy_gettext", "lazy_ngettext:1,2", "lazy_pgettext:1c,2")
# Plural rules pybabel init gets wrong, as CLDR orders the forms (zero, one, two,
# few, many, other). Babel's table has no Northern Sami (it would give two forms;
# CLDR has one, two, other) and puts Arabic's "other" (100-102) before "many"
# (11-99). Changing a rule here reorders the msgstr[n] of existing translations.
PLURAL_FORMS = {
    "se": "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}


def po_path(locale: str, root: Path = TRANSLATIONS_DIR) -> Path:
    return root / locale / "LC_MESSAGES" / "messages.po"


def _pybabel(*args: str | Path) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", *map(str, args)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if result.returncode:
        raise click.ClickException(f"pybabel {args[0]} failed:\n{result.stderr.strip()}")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as file:
        write_po(file, catalog, width=None)  # as pybabel --no-wrap: one line per message, plain diffs


def untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings)


def extract_template(output: Path) -> None:
    """Write every marked text under pro_service/ and templates/ to OUTPUT (a .pot file)."""
    _pybabel(
        "extract", f"--mapping-file={MAPPING}", f"--output-file={output}",
        *(f"--keyword={keyword}" for keyword in KEYWORDS),
        f"--add-comments={COMMENT_TAG}", "--sort-by-file", "--add-location=file",
        "--project=pro-service", f"--version={version('pro-service')}", "--copyright-holder=pro-service",
        f"--header-comment={HEADER_COMMENT}", "--no-wrap", ".",
    )


def _same_messages(a: Catalog, b: Catalog) -> bool:
    def key(catalog: Catalog) -> list[tuple]:
        return [(m.id, m.context, sorted(m.locations), m.auto_comments, sorted(m.flags))
                for m in catalog if m.id]

    return key(a) == key(b)


def _apply_plural_forms(path: Path, locale: str) -> None:
    """Set a plural rule Babel does not know (pybabel init would write its own guess)."""
    wanted = PLURAL_FORMS.get(locale)
    catalog = _read(path, locale)
    if wanted is None or catalog.plural_forms == wanted:
        return
    catalog.mime_headers = [("Plural-Forms", wanted)]  # the setter reads only the headers it is given
    _write(path, catalog)


@click.group()
def translations() -> None:
    """Extract, merge and compile the UI's gettext catalogues in translations/."""


@translations.command()
def extract() -> None:
    """Write translations/messages.pot from the sources (left alone when no message changed)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        extract_template(fresh)
        catalog = _read(fresh)
        if TEMPLATE.exists() and _same_messages(_read(TEMPLATE), catalog):
            click.echo(f"{TEMPLATE.relative_to(PROJECT_ROOT)}: unchanged, {len(catalog)} messages")
            return
        TEMPLATE.write_bytes(fresh.read_bytes())
    click.echo(f"{TEMPLATE.relative_to(PROJECT_ROOT)}: {len(catalog)} messages")


def update_catalogues(root: Path = TRANSLATIONS_DIR) -> dict[str, tuple[int, int]]:
    """Merge ROOT/messages.pot into every language's catalogue, creating missing ones.

    Returns, per locale, the number of messages and how many are untranslated.
    """
    counts = {}
    for locale in LOCALES:
        path = po_path(locale, root)
        common = ("--input-file", root / "messages.pot", "--output-dir", root, "--locale", locale, "--no-wrap")
        if path.exists():
            _pybabel("update", *common, "--no-fuzzy-matching", "--ignore-obsolete")
        else:
            _pybabel("init", *common)
            catalog = _read(path, locale)
            catalog.fuzzy = False  # the header of a new catalogue; its messages are all still empty
            _write(path, catalog)
        _apply_plural_forms(path, locale)
        catalog = _read(path, locale)
        counts[locale] = (len(catalog), sum(1 for message in catalog if message.id and untranslated(message)))
    return counts


@translations.command()
def update() -> None:
    """Merge messages.pot into every language's catalogue, creating missing ones.

    No fuzzy matching: a changed text arrives untranslated, so the check that
    no catalogue has a gap catches it, instead of shipping a stale guess.
    """
    for locale, (total, missing) in update_catalogues().items():
        click.echo(f"{locale}: {total} messages, {missing} untranslated")


@translations.command("compile")
def compile_() -> None:
    """Build the .mo files the application reads (they are not committed)."""
    _pybabel("compile", "--directory", TRANSLATIONS_DIR)
    click.echo(f"compiled {len(LOCALES)} catalogues")
