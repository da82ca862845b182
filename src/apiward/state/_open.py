"""``open_backend(url)``: a state backend from a URL (``memory://``, ``redis://``, ``rediss://``, ``unix://``)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from apiward.core import ConfigError, redact_url
from apiward.state._backend import StateBackend
from apiward.state._memory import DEFAULT_MAX_KEYS, MemoryBackend

__all__ = ["open_backend"]


def open_backend(url: str = "memory://", *, prefix: str = "apiward:") -> StateBackend:
    """Open (lazily connect) the backend for ``url``; raise :class:`ConfigError` for an unknown scheme."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "memory":
        query = parse_qs(parts.query)
        unknown = sorted(set(query) - {"max_keys"})
        if unknown:
            raise ConfigError(f"unknown memory:// option {unknown[0]!r} (known: max_keys)", pointer="state")
        try:
            max_keys = int(query.get("max_keys", [str(DEFAULT_MAX_KEYS)])[-1])
        except ValueError:
            max_keys = 0
        if max_keys < 1:
            raise ConfigError("memory:// max_keys must be a positive integer", pointer="state")
        return MemoryBackend(max_keys=max_keys)
    if scheme in {"redis", "rediss", "unix"}:
        from apiward.state._redis import RedisBackend

        return RedisBackend(url, prefix=prefix)
    raise ConfigError(
        f"unsupported state backend {redact_url(url)!r}: use memory:// or redis://host:port/db", pointer="state"
    )
