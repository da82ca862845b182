"""``MemoryBackend``: the embedded, single-process state backend (the default).

Everything lives in dicts guarded by the event loop (no awaits inside an update, so each operation is
atomic with respect to other coroutines). Expired entries are dropped lazily and by a periodic sweep so
memory stays bounded by the live keys — and by ``max_keys``: clients choose many keys (IPs, tokens,
object ids seen by the detectors), so past the bound expired keys are swept and then the oldest
written are evicted down to 90 % of it. Block-list entries are never evicted (flooding the state
must not lift a block); an evicted rate-limit or detector key simply starts afresh.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from apiward.state._rate import Rate, sliding_window_step, token_bucket_step

__all__ = ["MemoryBackend"]

_SWEEP_EVERY = 4096
DEFAULT_MAX_KEYS = 1_000_000
_BLOCK = "block\x00"


class MemoryBackend:
    """In-process implementation of :class:`apiward.state.StateBackend`."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, max_keys: int = DEFAULT_MAX_KEYS) -> None:
        self._clock = clock
        self._values: dict[str, tuple[object, float]] = {}  # key -> (value, expires at; inf = never)
        self._ops = 0
        self._max_keys = max(1, max_keys)
        #: Keys evicted because of ``max_keys`` (not counting expired ones).
        self.evicted = 0

    # -- internals ------------------------------------------------------------------------------
    def _now(self) -> float:
        self._ops += 1
        now = self._clock()
        if self._ops % _SWEEP_EVERY == 0 or len(self._values) >= self._max_keys:
            self._sweep(now)
            if len(self._values) >= self._max_keys:
                self._evict()
        return now

    def _evict(self) -> None:
        """Drop the oldest-written keys (dicts keep insertion order) down to 90 % of ``max_keys``."""
        excess = len(self._values) - int(self._max_keys * 0.9)
        victims = []
        for key in self._values:
            if excess <= 0:
                break
            if not key.startswith(_BLOCK):
                victims.append(key)
                excess -= 1
        for key in victims:
            del self._values[key]
        self.evicted += len(victims)

    def _sweep(self, now: float) -> None:
        dead = [k for k, (_, exp) in self._values.items() if exp <= now]
        for k in dead:
            del self._values[k]

    def _live(self, key: str, now: float) -> object | None:
        entry = self._values.get(key)
        if entry is None:
            return None
        if entry[1] <= now:
            del self._values[key]
            return None
        return entry[0]

    def _expiry(self, key: str, now: float, ttl_s: float | None) -> float:
        """Keep a live key's expiry; a new key gets ``now + ttl_s`` (or never)."""
        entry = self._values.get(key)
        if entry is not None and entry[1] > now:
            return entry[1]
        return now + ttl_s if ttl_s is not None else math.inf

    def __len__(self) -> int:
        now = self._clock()
        return sum(1 for _, exp in self._values.values() if exp > now)

    # -- StateBackend ---------------------------------------------------------------------------
    async def incr(self, key: str, amount: int = 1, *, ttl_s: float | None = None) -> int:
        now = self._now()
        current = self._live(key, now)
        value = (int(current) if isinstance(current, int | str) else 0) + amount
        self._values[key] = (value, self._expiry(key, now, ttl_s))
        return value

    async def get(self, key: str) -> str | None:
        value = self._live(key, self._now())
        if value is None:
            return None
        if isinstance(value, set):
            return None
        return str(value)

    async def set(self, key: str, value: str, *, ttl_s: float | None = None) -> None:
        now = self._now()
        self._values[key] = (value, now + ttl_s if ttl_s is not None else math.inf)

    async def delete(self, key: str) -> None:
        self._values.pop(key, None)

    async def add_distinct(self, key: str, member: str, *, ttl_s: float | None = None) -> int:
        now = self._now()
        current = self._live(key, now)
        members: set[str] = current if isinstance(current, set) else set()
        members.add(member)
        self._values[key] = (members, self._expiry(key, now, ttl_s))
        return len(members)

    async def token_bucket(self, key: str, *, rate_per_s: float, burst: int, cost: int = 1) -> Rate:
        now = self._now()
        state = self._live(key, now)
        tokens, last = state if isinstance(state, tuple) else (None, now)
        level, rate = token_bucket_step(tokens, last, now, rate_per_s=rate_per_s, burst=burst, cost=cost)
        self._values[key] = ((level, now), now + burst / rate_per_s + 1.0)
        return rate

    async def sliding_window(self, key: str, *, limit: int, window_s: float, cost: int = 1) -> Rate:
        now = self._now()
        index = math.floor(now / window_s)
        elapsed = now - index * window_s
        cur_key, prev_key = f"{key}\x00{index}", f"{key}\x00{index - 1}"
        previous = self._live(prev_key, now)
        current = self._live(cur_key, now)
        prev_n = previous if isinstance(previous, int) else 0
        cur_n = current if isinstance(current, int) else 0
        allowed, rate = sliding_window_step(prev_n, cur_n, elapsed, limit=limit, window_s=window_s, cost=cost)
        if allowed:
            self._values[cur_key] = (cur_n + cost, (index + 2) * window_s)
        return rate

    async def block(self, kind: str, value: str, *, ttl_s: float, reason: str = "") -> None:
        now = self._now()
        self._values[f"{_BLOCK}{kind}\x00{value}"] = (reason or "blocked", now + ttl_s)

    async def blocked(self, kind: str, value: str) -> str | None:
        reason = self._live(f"block\x00{kind}\x00{value}", self._now())
        return None if reason is None else str(reason)

    async def unblock(self, kind: str, value: str) -> bool:
        key = f"block\x00{kind}\x00{value}"
        live = self._live(key, self._now()) is not None
        self._values.pop(key, None)
        return live

    async def aclose(self) -> None:
        self._values.clear()
