"""Where a form may send the browser next: only a path of this site, never another host (no open redirect)."""
from __future__ import annotations

from urllib.parse import urlsplit


def is_local_path(url: str | None) -> bool:
    """True for "/survey" or "/clinic/?q=1"; False for "//evil.example", "/\\evil.example", "https://…"."""
    # Browsers read "//host" and "/\\host" (and a backslash anywhere before the path) as another host.
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")) or "\\" in url:
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc
