"""An RFC 7662 token introspection client with a shared cache bounded by the token's ``exp``.

The cache lives in the gateway's :class:`StateBackend` (so N instances share it) under a SHA-256 of
the token — never the token itself. Active answers are cached until ``min(exp, now + max_ttl_s)``;
inactive answers for ``negative_ttl_s`` (short, so a freshly issued token is not refused for long).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from apiward.core import TargetError, redact_url
from apiward.state import StateBackend

__all__ = ["Introspector"]

#: A key or token service slower than this is treated as unavailable (the request waits on it).
_TIMEOUT_S = 5.0

MAX_RESPONSE_BYTES = 64 * 1024
_INACTIVE = '{"active":false}'


class Introspector:
    def __init__(
        self,
        http: httpx.AsyncClient,
        endpoint: str | Callable[[], Awaitable[str]],
        *,
        client_id: str,
        client_secret: str,
        state: StateBackend,
        max_ttl_s: float = 300.0,
        negative_ttl_s: float = 10.0,
        clock: Callable[[], float] = time.time,
        post_credentials: bool = False,
    ) -> None:
        self._http = http
        self._client = (client_id, client_secret)
        self._post = post_credentials
        self._endpoint = endpoint
        self._auth = httpx.BasicAuth(client_id, client_secret)
        self._state = state
        self._max_ttl_s = max_ttl_s
        self._negative_ttl_s = negative_ttl_s
        self._clock = clock
        self.calls = 0
        self._inflight: dict[str, asyncio.Future[dict[str, Any]]] = {}

    @staticmethod
    def cache_key(token: str) -> str:
        return "introspect:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

    async def introspect(self, token: str) -> dict[str, Any]:
        """The introspection answer (``{"active": false}`` for unknown tokens). Raises :class:`TargetError`.

        Concurrent requests with the same uncached token share one call to the endpoint (single flight).
        """
        key = self.cache_key(token)
        cached = _parse(await self._state.get(key))
        if cached is not None:
            exp = cached.get("exp")
            if not cached.get("active") or not isinstance(exp, int | float) or exp > self._clock():
                return cached
        pending = self._inflight.get(key)
        if pending is not None:
            return dict(await asyncio.shield(pending))
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            data = await self._call(token)
            await self._remember(key, data)
        except asyncio.CancelledError:
            future.set_exception(TargetError("introspection was cancelled"))
            future.exception()  # mark retrieved: waiters re-raise it; no warning when there are none
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()
            raise
        else:
            future.set_result(data)
        finally:
            del self._inflight[key]
        return data

    async def _remember(self, key: str, data: dict[str, Any]) -> None:
        now = self._clock()
        if data.get("active"):
            exp = data.get("exp")
            ttl = self._max_ttl_s if not isinstance(exp, int | float) else min(self._max_ttl_s, exp - now)
            if ttl > 0:
                await self._state.set(key, json.dumps(data, separators=(",", ":")), ttl_s=ttl)
        elif self._negative_ttl_s > 0:
            await self._state.set(key, _INACTIVE, ttl_s=self._negative_ttl_s)

    async def _call(self, token: str) -> dict[str, Any]:
        url = self._endpoint if isinstance(self._endpoint, str) else await self._endpoint()
        self.calls += 1
        try:
            form = {"token": token, "token_type_hint": "access_token"}
            if self._post:
                form.update(client_id=self._client[0], client_secret=self._client[1])
            response = await self._http.post(
                url,
                data=form,
                auth=httpx.USE_CLIENT_DEFAULT if self._post else self._auth,
                headers={"Accept": "application/json"},
                timeout=_TIMEOUT_S,
            )
        except httpx.HTTPError as exc:
            raise TargetError(f"introspection {redact_url(url)} unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise TargetError(f"introspection {redact_url(url)} answered {response.status_code}")
        if len(response.content) > MAX_RESPONSE_BYTES:
            raise TargetError(f"introspection {redact_url(url)} answer is too large")
        try:
            data = response.json()
        except ValueError as exc:
            raise TargetError(f"introspection {redact_url(url)} answer is not JSON") from exc
        if not isinstance(data, dict) or not isinstance(data.get("active"), bool):
            raise TargetError(f"introspection {redact_url(url)} answer has no boolean 'active'")
        return data


def _parse(cached: str | None) -> dict[str, Any] | None:
    """A cached answer, or ``None`` when absent or unreadable (a shared cache is not trusted to be intact)."""
    if cached is None:
        return None
    try:
        data = json.loads(cached)
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("active"), bool) else None
