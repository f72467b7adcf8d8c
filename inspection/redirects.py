"""Where a request may send the browser next: only to a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for


def same_site_path(target: str | None) -> str | None:
    """Return the target if it is a path on this site, else None.

    A path starts with one "/" and names no scheme or host. Browsers read "//host" and
    "/\\host" as another site, and drop tabs and line breaks before reading a URL
    ("/\\t/host" becomes "//host"), so a backslash, whitespace or control character
    anywhere is refused too.
    """
    if not target or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return None
    if "\\" in target or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _referrer_path() -> str | None:
    """Return the Referer's path and query when it names this very host, else None."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.scheme not in ("http", "https") or parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def redirect_target(next_value: str | None = None, *, use_referrer: bool = False) -> str:
    """Return where to go after an action: `next` or this site's Referer, else the home page."""
    path = same_site_path(next_value)
    if path is None and use_referrer:
        path = same_site_path(_referrer_path())
    return path or url_for("main.home")
