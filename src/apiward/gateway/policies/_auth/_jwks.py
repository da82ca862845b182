"""A JWKS cache: fetched once, refreshed when stale, refetched on an unknown ``kid`` at a bounded rate.

The refetch on an unknown ``kid`` is what makes key rotation seamless; the rate limit (one refetch per
``min_refetch_s``) is what stops a client that sends random ``kid`` values from hammering the issuer.
Concurrent callers share one fetch (single flight). A failed refresh keeps the keys already known.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx

from apiward.core import TargetError, redact_url
from apiward.gateway.policies._auth._keys import KeyRing

__all__ = ["JwksCache"]

#: A key or token service slower than this is treated as unavailable (the request waits on it).
_TIMEOUT_S = 5.0

#: Bound on a JWKS document; issuers publish a handful of keys.
MAX_JWKS_BYTES = 256 * 1024
#: While no key set is known, failed fetches are retried at most this often.
_RETRY_EMPTY_S = 1.0


class JwksCache:
    def __init__(
        self,
        http: httpx.AsyncClient,
        url: str | Callable[[], Awaitable[str]],
        algorithms: tuple[str, ...],
        *,
        max_age_s: float = 300.0,
        min_refetch_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._url = url
        self._algorithms = algorithms
        self._max_age_s = max_age_s
        self._min_refetch_s = min_refetch_s
        self._clock = clock
        self._ring: KeyRing | None = None
        self._fetched_at = float("-inf")
        self._attempted_at = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def ring(self, kid: str | None = None) -> KeyRing:
        """The current keys, refreshed if stale or (rate-limited) if ``kid`` is unknown.

        Raises :class:`TargetError` only when no keys could ever be fetched.
        """
        asked = self._clock()
        ring = self._ring
        if ring is not None:
            fresh = asked - self._fetched_at < self._max_age_s
            if fresh and (kid is None or ring.has(kid)):
                return ring
            if asked - self._attempted_at < self._min_refetch_s:
                return ring  # refetch budget spent: answer with what we know
        elif asked - self._attempted_at < _RETRY_EMPTY_S:
            raise TargetError("JWKS unavailable (last fetch failed); retrying shortly")
        async with self._lock:
            if self._attempted_at >= asked:  # another caller fetched while we waited
                if self._ring is None:
                    raise TargetError("JWKS unavailable (last fetch failed); retrying shortly")
                return self._ring
            self._attempted_at = self._clock()
            try:
                self._ring = await self._fetch()
                self._fetched_at = self._attempted_at
            except TargetError:
                if self._ring is None:
                    raise
            return self._ring

    async def _fetch(self) -> KeyRing:
        url = self._url if isinstance(self._url, str) else await self._url()
        self.fetches += 1
        try:
            response = await self._http.get(url, headers={"Accept": "application/json"}, timeout=_TIMEOUT_S)
        except httpx.HTTPError as exc:
            raise TargetError(f"JWKS {redact_url(url)} unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise TargetError(f"JWKS {redact_url(url)} answered {response.status_code}")
        if len(response.content) > MAX_JWKS_BYTES:
            raise TargetError(f"JWKS {redact_url(url)} is larger than {MAX_JWKS_BYTES} bytes")
        try:
            ring = KeyRing.from_jwks(response.json(), self._algorithms)
        except ValueError as exc:
            raise TargetError(f"JWKS {redact_url(url)} is malformed: {exc}") from exc
        if not len(ring):
            raise TargetError(f"JWKS {redact_url(url)} holds no key usable with the allowed algorithms")
        return ring
