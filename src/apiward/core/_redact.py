"""Secret redaction: nothing secret reaches a report, log line or store in clear.

Redaction is by *name* (headers, query parameters, JSON keys that look secret) and by *shape*
(bearer tokens, JWTs and basic credentials inside free text).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "REDACTED",
    "is_secret_name",
    "redact_headers",
    "redact_mapping",
    "redact_text",
    "redact_url",
]

REDACTED = "[REDACTED]"

_SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
        "x-csrf-token",
        "x-xsrf-token",
        "x-amz-security-token",
    }
)
_SECRET_PARTS = (
    "token",
    "secret",
    "password",
    "passwd",
    "pwd",
    "apikey",
    "api_key",
    "api-key",
    "credential",
    "private_key",
    "privatekey",
    "session",
    "auth",
    "signature",
    "jwt",
    "cookie",
)
_NOT_SECRET = frozenset({"author", "authors", "authority", "oauth_provider", "auth_type", "authentication_method"})

_SHAPES = (
    # Authorization-like values in free text: "Bearer xxx", "Basic xxx"
    re.compile(r"(?i)\b(bearer|basic|digest|token)\s+[A-Za-z0-9._~+/=-]{6,}"),
    # JWTs
    re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
    # key=value pairs with a secret-looking key
    re.compile(
        r"(?i)\b([\w-]*(?:token|secret|password|passwd|api[_-]?key)[\w-]*)([\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}]+)"
    ),
)


#: One pass that every secret shape below needs to match first; most strings fail it and skip the three subs.
_MAYBE_SECRET = re.compile(r"(?i)bearer|basic|digest|token|eyJ|secret|passw|api[_-]?key")


@functools.lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """True for header, parameter or JSON key names that hold secrets (``Authorization``, ``*token*``...)."""
    lowered = name.strip().lower()
    if lowered in _SECRET_HEADERS:
        return True
    if lowered in _NOT_SECRET:
        return False
    return any(part in lowered for part in _SECRET_PARTS)


def redact_text(text: str) -> str:
    """Replace secret-shaped substrings (bearer/basic credentials, JWTs, ``password=...``) in free text."""
    if not _MAYBE_SECRET.search(text):
        return text
    text = _SHAPES[0].sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _SHAPES[1].sub(REDACTED, text)
    return _SHAPES[2].sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


def redact_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Headers with secret values replaced; names and order kept."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return [(k, REDACTED if is_secret_name(k) else redact_text(v)) for k, v in items]


def redact_mapping(value: Any, *, _depth: int = 0) -> Any:
    """Deep copy of JSON-like data with secret keys' values replaced and secret shapes scrubbed from strings."""
    if _depth > 64:
        return REDACTED
    if isinstance(value, Mapping):
        return {
            k: (
                REDACTED
                if isinstance(k, str) and is_secret_name(k) and v not in (None, "")
                else redact_mapping(v, _depth=_depth + 1)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_mapping(v, _depth=_depth + 1) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_url(url: str) -> str:
    """URL with secret query parameters and userinfo passwords replaced."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{REDACTED}@{host}" if ":" in userinfo else f"{userinfo}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, REDACTED if is_secret_name(k) else v) for k, v in pairs], safe="[]")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
