"""``open_backend(url)``: a state backend from a URL (``memory://``, ``redis://``, ``rediss://``, ``unix://``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from apiward.core import ConfigError, redact_url
from apiward.state._backend import StateBackend
from apiward.state._memory import MemoryBackend

__all__ = ["open_backend"]


def open_backend(url: str = "memory://", *, prefix: str = "apiward:") -> StateBackend:
    """Open (lazily connect) the backend for ``url``; raise :class:`ConfigError` for an unknown scheme."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "memory":
        return MemoryBackend()
    if scheme in {"redis", "rediss", "unix"}:
        from apiward.state._redis import RedisBackend

        return RedisBackend(url, prefix=prefix)
    raise ConfigError(
        f"unsupported state backend {redact_url(url)!r}: use memory:// or redis://host:port/db", pointer="state"
    )
