"""WIDGET_ALLOWED_ORIGINS: the sites allowed to call /api/chat from a browser (CORS)."""

from __future__ import annotations

import urllib.parse


def normalize_origin(raw: str) -> str:
    """`scheme://host[:port]` in lower case; ValueError for anything that is not an origin."""
    parts = urllib.parse.urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an origin (want scheme://host[:port]): {raw!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"an origin has no path, query or user: {raw!r}")
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = f":{parts.port}" if parts.port not in (None, default_port) else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


def parse_allowed_origins(value: object) -> frozenset[str]:
    """Origins separated by commas or spaces; `*` allows every site."""
    if isinstance(value, frozenset | set | list | tuple):
        items = [str(item) for item in value]
    else:
        items = [item for item in str(value or "").replace(",", " ").split() if item]
    return frozenset("*" if item == "*" else normalize_origin(item) for item in items)
