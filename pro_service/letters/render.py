"""The one way any document becomes a PDF: WeasyPrint, PDF/A, and a fetcher that reaches nothing outside.

A letter's HTML carries text a clinician typed; even escaped, nothing in a
document may make the renderer reach the network or read a file that is not one
of our own assets, so the fetcher refuses both and stops the rendering.
"""
from __future__ import annotations

import mimetypes
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pro_service.config import PROJECT_ROOT

PDF_VARIANT = "pdf/a-3b"
"""PDF/A-3b: archivable by the EPR, fonts embedded; the newest part WeasyPrint writes for level b."""

ASSET_DIRS = (PROJECT_ROOT / "static", PROJECT_ROOT / "templates" / "letters")
LETTER_ASSETS = ASSET_DIRS[1]


class RefusedURL(FatalURLFetchingError):
    """A document asked for something outside the project's assets; the rendering stops."""


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


def render_pdf(html: str, *, base_url: str | Path = LETTER_ASSETS) -> bytes:
    """Render HTML to PDF/A bytes; relative URLs resolve against `base_url` (an asset folder).

    Raises `RefusedURL` when the document asks for anything outside the assets.
    """
    base = base_url.as_uri() + "/" if isinstance(base_url, Path) else base_url
    document = HTML(string=html, base_url=base, url_fetcher=AssetsOnlyFetcher())
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB output-intent profile for PDF/A and never closes it (the file is
        # read whole and dropped at once); that ResourceWarning is theirs, not a leak of ours.
        warnings.simplefilter("ignore", ResourceWarning)
        return document.write_pdf(pdf_variant=PDF_VARIANT)
