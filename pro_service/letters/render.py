"""The one way any document becomes a PDF: WeasyPrint, PDF/A, and a fetcher that reaches nothing outside.

A letter's HTML carries text a clinician typed; even escaped, nothing in a
document may make the renderer reach the network or read a file that is not one
of our own assets, so the fetcher refuses both and stops the rendering.
"""
from __future__ import annotations

import atexit
import mimetypes
import os
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pro_service.config import PROJECT_ROOT

PDF_VARIANT = "pdf/a-3b"
"""PDF/A-3b: archivable by the EPR, fonts embedded; the newest part WeasyPrint writes for level b."""

ASSET_DIRS = (PROJECT_ROOT / "static", PROJECT_ROOT / "templates" / "letters")
LETTER_ASSETS = ASSET_DIRS[1]
LETTER_STYLESHEETS = ("gp_letter.css",)
"""The letter's own stylesheet, applied by `render_pdf` (parsed once per process, not linked from the HTML)."""


class RefusedURL(FatalURLFetchingError):
    """The fetcher's refusal: a document asked for something outside the project's assets; the rendering stops.

    WeasyPrint stops only for a FatalURLFetchingError, which is a BaseException;
    `render_pdf` turns it into `RefusedDocument` before it reaches any caller.
    """


class RefusedDocument(ValueError):
    """The document could not be rendered because it asked for a URL or file it may not read.

    An ordinary exception, unlike the fetcher's refusal: a batch catches it for one
    letter and goes on, and a request answers it with a page instead of dying with it.
    """


class AssetsOnlyFetcher(URLFetcher):
    """Serves `file://` URLs inside the asset folders and `data:` URLs; refuses everything else."""

    def __init__(self, allowed: tuple[Path, ...] = ASSET_DIRS) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self._allowed = tuple(path.resolve() for path in allowed)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"refused to fetch {url!r}: only the project's own assets may be read")
        # resolve() follows `..` and symlinks, so neither can lead out of an asset folder.
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self._allowed) or not path.is_file():
            raise RefusedURL(f"refused to read {url!r}: not a file in the project's assets")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


class _Warm:
    """What WeasyPrint would otherwise build again for every document: a font configuration and parsed stylesheets.

    A FontConfiguration (a Pango font map over fontconfig) costs about 5 ms to
    create and a stylesheet a few more to parse; both are the same for every
    letter. Pango font maps are not safe to share between threads, so each
    thread of each process (a forked batch worker too) gets its own.
    """

    def __init__(self) -> None:
        self.font_config = FontConfiguration()
        self.counter_style = CounterStyle()  # @counter-style rules of the cached sheets land here
        self.sheets: dict[tuple[Path, int], CSS] = {}

    def stylesheet(self, path: Path) -> CSS:
        """The parsed stylesheet at `path`, parsed again only when the file changes (an edit needs no restart)."""
        key = (path, path.stat().st_mtime_ns)
        sheet = self.sheets.get(key)
        if sheet is None:
            self.sheets = {k: v for k, v in self.sheets.items() if k[0] != path}
            sheet = self.sheets[key] = CSS(url=path.as_uri(), url_fetcher=AssetsOnlyFetcher(),
                                           font_config=self.font_config, counter_style=self.counter_style)
        return sheet


_WARM: dict[tuple[int, int], _Warm] = {}
"""By (process, thread). A thread id is reused only after its thread ended, so the entries stay as few as threads."""

# Pango's font map must be released while the interpreter is whole: dropped in the last stage of shutdown (as a
# thread-local would be) its unref crashes the process.
atexit.register(_WARM.clear)


def _warm() -> _Warm:
    key = (os.getpid(), threading.get_ident())
    warm = _WARM.get(key)
    if warm is None:
        warm = _WARM[key] = _Warm()
    return warm


def render_pdf(html: str, *, base_url: str | Path = LETTER_ASSETS, stylesheets: Sequence[str] = ()) -> bytes:
    """Render HTML to PDF/A bytes; relative URLs resolve against `base_url` (an asset folder).

    `stylesheets` are file names in the `base_url` folder, applied to the document
    after its own `<link>`ed and `<style>` sheets (WeasyPrint's "user" origin:
    above its defaults, below the document's own rules) and parsed once per process.

    Raises `RefusedDocument` when the document asks for anything outside the assets.
    """
    base = base_url.as_uri() + "/" if isinstance(base_url, Path) else base_url
    warm = _warm()
    try:
        sheets = [warm.stylesheet(_asset(base_url, name)) for name in stylesheets]
        # A document's own @counter-style rules must not leak into the next one; its @font-face rules can (the
        # font configuration is shared), but a document only reaches fonts in the assets.
        counter_style = CounterStyle(warm.counter_style)
        document = HTML(string=html, base_url=base, url_fetcher=AssetsOnlyFetcher())
        with warnings.catch_warnings():
            # WeasyPrint opens its sRGB output-intent profile for PDF/A and never closes it (the file is
            # read whole and dropped at once); that ResourceWarning is theirs, not a leak of ours.
            warnings.simplefilter("ignore", ResourceWarning)
            return document.write_pdf(pdf_variant=PDF_VARIANT, stylesheets=sheets, font_config=warm.font_config,
                                      counter_style=counter_style)
    except FatalURLFetchingError as refusal:
        # Not a BaseException past this point: `except Exception` in a batch or a request must see it.
        raise RefusedDocument(str(refusal)) from None


def _asset(base_url: str | Path, name: str) -> Path:
    folder = base_url if isinstance(base_url, Path) else Path(unquote(urlsplit(base_url).path))
    path = (folder / name).resolve()
    if not any(path.is_relative_to(allowed.resolve()) for allowed in ASSET_DIRS) or not path.is_file():
        raise RefusedURL(f"refused to read stylesheet {name!r}: not a file in the project's assets")
    return path
