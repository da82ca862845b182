"""Key and token services must be reached over TLS; plain HTTP only on loopback or when asked for."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from apiward.core import ConfigError

__all__ = ["check_service_url"]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_service_url(url: str, *, pointer: str, allow_http: bool) -> str:
    """``url`` if it is https (or http on loopback, or ``allow_http``); else :class:`ConfigError`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{url!r} is not an http(s) URL", pointer=pointer)
    if parts.scheme == "http" and not allow_http and not _loopback(parts.hostname):
        raise ConfigError(
            "keys and token answers fetched over plain HTTP can be forged in transit: use https "
            "(or set allow_insecure_http: true)",
            pointer=pointer,
        )
    return url
