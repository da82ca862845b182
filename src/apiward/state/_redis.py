"""``RedisBackend``: state shared by many gateway instances and detectors through one Redis.

Every multi-step update is one Lua script (atomic on the server, server clock), so N instances
enforce one limit. Keys are namespaced (``apiward:`` by default) and use a ``{hash tag}`` so a
script's keys land in one cluster slot. Redis errors become :class:`apiward.core.BackendError`.
"""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from apiward.core import BackendError, redact_url
from apiward.state._rate import Rate, sliding_window_step
from apiward.state._redis_scripts import ADD_DISTINCT, INCR, SLIDING_WINDOW, TOKEN_BUCKET

__all__ = ["RedisBackend"]


def _ms(ttl_s: float | None) -> str:
    return "" if ttl_s is None else str(max(1, round(ttl_s * 1000)))


class RedisBackend:
    """Redis implementation of :class:`apiward.state.StateBackend` (``redis.asyncio``)."""

    def __init__(self, url: str, *, prefix: str = "apiward:", timeout_s: float = 2.0) -> None:
        self._url = redact_url(url)
        self._prefix = prefix
        try:
            self._redis: aioredis.Redis = aioredis.Redis.from_url(
                url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s, decode_responses=True
            )
        except (ValueError, RedisError) as exc:
            raise BackendError(f"invalid Redis URL {self._url}: {exc}") from exc
        self._incr = self._redis.register_script(INCR)
        self._distinct = self._redis.register_script(ADD_DISTINCT)
        self._bucket = self._redis.register_script(TOKEN_BUCKET)
        self._window = self._redis.register_script(SLIDING_WINDOW)

    def _key(self, key: str) -> str:
        return f"{self._prefix}{{{key}}}"

    def _fail(self, what: str, exc: Exception) -> BackendError:
        return BackendError(f"Redis {self._url}: {what} failed: {type(exc).__name__}: {exc}")

    async def ping(self) -> None:
        """Raise :class:`BackendError` unless Redis answers."""
        try:
            await self._redis.ping()
        except (RedisError, OSError) as exc:
            raise self._fail("ping", exc) from exc

    async def incr(self, key: str, amount: int = 1, *, ttl_s: float | None = None) -> int:
        try:
            return int(await self._incr(keys=[self._key(key)], args=[amount, _ms(ttl_s)]))
        except (RedisError, OSError) as exc:
            raise self._fail("incr", exc) from exc

    async def get(self, key: str) -> str | None:
        try:
            value: Any = await self._redis.get(self._key(key))
        except (RedisError, OSError) as exc:
            raise self._fail("get", exc) from exc
        return None if value is None else str(value)

    async def set(self, key: str, value: str, *, ttl_s: float | None = None) -> None:
        try:
            if ttl_s is None:
                await self._redis.set(self._key(key), value)
            else:
                await self._redis.set(self._key(key), value, px=max(1, round(ttl_s * 1000)))
        except (RedisError, OSError) as exc:
            raise self._fail("set", exc) from exc

    async def delete(self, key: str) -> None:
        try:
            await self._redis.delete(self._key(key))
        except (RedisError, OSError) as exc:
            raise self._fail("delete", exc) from exc

    async def add_distinct(self, key: str, member: str, *, ttl_s: float | None = None) -> int:
        try:
            return int(await self._distinct(keys=[self._key(key)], args=[member, _ms(ttl_s)]))
        except (RedisError, OSError) as exc:
            raise self._fail("add_distinct", exc) from exc

    async def token_bucket(self, key: str, *, rate_per_s: float, burst: int, cost: int = 1) -> Rate:
        try:
            allowed, level, reset, retry = await self._bucket(
                keys=[self._key("tb:" + key)], args=[repr(float(rate_per_s)), burst, cost]
            )
        except (RedisError, OSError) as exc:
            raise self._fail("token_bucket", exc) from exc
        return Rate(bool(int(allowed)), burst, max(0, int(float(level))), float(reset), float(retry))

    async def sliding_window(self, key: str, *, limit: int, window_s: float, cost: int = 1) -> Rate:
        try:
            prev, cur, elapsed, counted = await self._window(
                keys=[self._key("sw:" + key)], args=[limit, repr(float(window_s)), cost]
            )
        except (RedisError, OSError) as exc:
            raise self._fail("sliding_window", exc) from exc
        # The script decided and counted atomically; the headers' arithmetic is shared with memory.
        _, rate = sliding_window_step(int(prev), int(cur), float(elapsed), limit=limit, window_s=window_s, cost=cost)
        if bool(int(counted)) != rate.allowed:  # float rounding at the boundary: the script wins
            rate = Rate(bool(int(counted)), rate.limit, rate.remaining, rate.reset_s, rate.retry_after_s)
        return rate

    async def block(self, kind: str, value: str, *, ttl_s: float, reason: str = "") -> None:
        await self.set(f"block:{kind}:{value}", reason or "blocked", ttl_s=ttl_s)

    async def blocked(self, kind: str, value: str) -> str | None:
        return await self.get(f"block:{kind}:{value}")

    async def unblock(self, kind: str, value: str) -> bool:
        try:
            return bool(await self._redis.delete(self._key(f"block:{kind}:{value}")))
        except (RedisError, OSError) as exc:
            raise self._fail("unblock", exc) from exc

    async def aclose(self) -> None:
        try:
            await self._redis.aclose()
        except (RedisError, OSError) as exc:
            raise self._fail("close", exc) from exc
