"""``StateBackend``: the one small interface for state shared by gateway instances and detectors.

Implementations: in-memory (the embedded default, one process) and Redis (many instances; atomic scripts).
Keys are plain strings; implementations namespace them. TTLs are seconds.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["RateResult", "StateBackend"]


class RateResult(Protocol):
    """The answer of a rate-limit check (read-only; :class:`apiward.state.Rate` implements it)."""

    @property
    def allowed(self) -> bool: ...
    @property
    def limit(self) -> int: ...
    @property
    def remaining(self) -> int: ...
    @property
    def reset_s(self) -> float:
        """Seconds until the window/bucket is full again."""
        ...

    @property
    def retry_after_s(self) -> float:
        """Seconds to wait before retrying; 0 when allowed."""
        ...


@runtime_checkable
class StateBackend(Protocol):
    async def incr(self, key: str, amount: int = 1, *, ttl_s: float | None = None) -> int:
        """Add to a counter (created at 0) and return the new value; ``ttl_s`` set when the key is created."""
        ...

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, *, ttl_s: float | None = None) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def add_distinct(self, key: str, member: str, *, ttl_s: float | None = None) -> int:
        """Add ``member`` to a set and return the set's size (distinct count)."""
        ...

    async def token_bucket(self, key: str, *, rate_per_s: float, burst: int, cost: int = 1) -> RateResult:
        """Atomically take ``cost`` tokens from a bucket refilled at ``rate_per_s`` up to ``burst``."""
        ...

    async def sliding_window(self, key: str, *, limit: int, window_s: float, cost: int = 1) -> RateResult:
        """Atomically count a hit in a sliding window of ``window_s`` allowing ``limit`` hits."""
        ...

    async def block(self, kind: str, value: str, *, ttl_s: float, reason: str = "") -> None:
        """Put ``value`` (an identity, token fingerprint or IP, by ``kind``) on the block list for ``ttl_s``."""
        ...

    async def blocked(self, kind: str, value: str) -> str | None:
        """The reason ``value`` is blocked, or ``None``."""
        ...

    async def unblock(self, kind: str, value: str) -> bool:
        """Lift a block early; True when there was one."""
        ...

    async def aclose(self) -> None: ...
