"""The one HTTP client of the scanner: scope guard, concurrency, global rate limit, retries, budgets.

Every request the scanner makes — probes, logins, token fetches, redirects, URLs taken from responses —
goes through :class:`ScopedClient`, which refuses anything outside the target's scheme+host+port.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import httpx

from apiward.core import ApiwardError, TargetError
from apiward.scan._request import Exchange, RequestSpec

__all__ = ["Authenticator", "BudgetExhausted", "OutOfScope", "ScopedClient", "origin_of"]

_MAX_REDIRECTS = 3
_MAX_RETRY_AFTER = 3.0
_PERSISTENT_429 = 2


class OutOfScope(ApiwardError):
    """A request would have left the target's scheme+host+port; it was not sent."""


class BudgetExhausted(ApiwardError):
    """The request or time budget of the scan is spent."""


class Authenticator(Protocol):
    name: str

    def apply(self, spec: RequestSpec) -> RequestSpec: ...

    async def ready(self, client: ScopedClient) -> None: ...

    async def refresh(self, client: ScopedClient) -> bool: ...


def origin_of(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


class _RateLimiter:
    """Spacing between request starts for a global requests/second cap.

    Hand-written: a dozen lines of monotonic-clock spacing are simpler than a dependency for it.
    """

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = 0.0
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self.lock:
            now = time.monotonic()
            delay = self.next_at - now
            self.next_at = max(now, self.next_at) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


class ScopedClient:
    """Async HTTP for one target. ``send()`` applies auth, retries 429/5xx transport trouble, counts requests."""

    def __init__(
        self,
        target: str,
        *,
        concurrency: int = 8,
        rate_limit: float = 0.0,
        timeout: float = 10.0,
        retries: int = 2,
        max_requests: int = 20000,
        max_seconds: float = 600.0,
        default_headers: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        on_request: Callable[[Exchange], None] | None = None,
    ) -> None:
        self.target = target.rstrip("/")
        self.origin = origin_of(self.target)
        self.retries = retries
        self.max_requests = max_requests
        self.deadline = time.monotonic() + max_seconds
        self.requests = 0
        self.blocked: list[str] = []
        self._throttled: dict[str, int] = {}  # path -> 429 answers seen
        self.on_request = on_request
        self._sem = asyncio.Semaphore(concurrency)
        self._limiter = _RateLimiter(rate_limit)
        self._http = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": "apiward-scan", **(default_headers or {})},
            transport=transport,
            event_hooks={"request": [self._guard_hook]},
        )

    async def __aenter__(self) -> ScopedClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def in_scope(self, url: str) -> bool:
        return origin_of(url) == self.origin

    def url_for(self, path: str) -> str:
        """Absolute URL for a path or URL; raises :class:`OutOfScope` when it points elsewhere."""
        url = path if path.startswith(("http://", "https://")) else f"{self.target}/{path.lstrip('/')}"
        self.check_scope(url)
        return url

    def check_scope(self, url: str) -> None:
        if not self.in_scope(url):
            self.blocked.append(url)
            raise OutOfScope(f"refused out-of-scope request to {url}")

    async def _guard_hook(self, request: httpx.Request) -> None:
        # Last line of defence: even a request built elsewhere never leaves the target.
        self.check_scope(str(request.url))

    def extend_budget(self, *, requests: int, seconds: float) -> None:
        """Grant a little more budget (the final identity check must run even when the scan spent its own)."""
        self.max_requests = max(self.max_requests, self.requests) + requests
        self.deadline = max(self.deadline, time.monotonic()) + seconds

    def budget_left(self) -> bool:
        return self.requests < self.max_requests and time.monotonic() < self.deadline

    async def send(
        self,
        spec: RequestSpec,
        auth: Authenticator | None = None,
        *,
        follow_redirects: bool = False,
        retry: bool = True,
        refresh: bool = True,
    ) -> Exchange:
        """Send ``spec`` as ``auth``; refresh credentials once on 401; retry 429 honouring ``Retry-After``.

        ``retry=False`` returns a 429 as it is (rate-limit probes); ``refresh=False`` keeps a 401 (auth probes).
        """
        exchange = await self._send_once(spec, auth, retry=retry)
        if refresh and exchange.status == 401 and auth is not None and await auth.refresh(self):
            exchange = await self._send_once(spec, auth, retry=retry)
        hops = 0
        while follow_redirects and exchange.status in (301, 302, 303, 307, 308) and hops < _MAX_REDIRECTS:
            location = exchange.header("location")
            if not location:
                break
            url = urljoin(exchange.url, location)
            if not self.in_scope(url):
                self.blocked.append(url)
                break
            hops += 1
            parts = urlsplit(url)
            method = "GET" if exchange.status == 303 else spec.method
            exchange = await self._send_once(
                RequestSpec(method=method, path=parts.path or "/", query=_pairs(parts.query)), auth, retry=retry
            )
        return exchange

    async def _send_once(self, spec: RequestSpec, auth: Authenticator | None, *, retry: bool) -> Exchange:
        if auth is not None:
            await auth.ready(self)
            spec = auth.apply(spec)
        url = self.url_for(spec.path)
        if spec.query:
            url = f"{url}?{urlencode(spec.query)}"
        self.check_scope(url)
        headers = dict(spec.headers)
        if spec.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in spec.cookies)
        content: bytes | None = spec.content
        if spec.has_json:
            content = json.dumps(spec.json, default=str).encode()
            headers.setdefault("Content-Type", "application/json")
        elif spec.form is not None:
            content = urlencode(spec.form).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if spec.content_type:
            headers["Content-Type"] = spec.content_type
        attempt = 0
        while True:
            if not self.budget_left():
                raise BudgetExhausted(f"budget spent after {self.requests} requests")
            self.requests += 1
            await self._limiter.wait()
            async with self._sem:
                started = time.perf_counter()
                try:
                    response = await self._http.request(spec.method, url, headers=headers, content=content)
                except OutOfScope:
                    raise
                except httpx.TimeoutException as exc:
                    if attempt < self.retries:
                        attempt += 1
                        continue
                    raise TargetError(f"{spec.method} {url}: timed out") from exc
                except httpx.HTTPError as exc:
                    if attempt < self.retries:
                        attempt += 1
                        await asyncio.sleep(0.1 * attempt)
                        continue
                    raise TargetError(f"{spec.method} {url}: {exc.__class__.__name__}: {exc}") from exc
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code == 429:
                seen = self._throttled[spec.path] = self._throttled.get(spec.path, 0) + 1
                # a path that keeps throttling is answered as it is: waiting on it would stall the whole scan
                if retry and attempt < self.retries and seen <= _PERSISTENT_429:
                    attempt += 1
                    await asyncio.sleep(_retry_after(response.headers.get("retry-after"), attempt))
                    continue
            break
        body = response.content
        exchange = Exchange(
            method=spec.method,
            url=url,
            request_headers=tuple(response.request.headers.items()),
            request_body=content or b"",
            status=response.status_code,
            headers=tuple(response.headers.multi_items()),
            body=body,
            elapsed_ms=elapsed,
            identity=getattr(auth, "name", None),
            spec=spec,
            data=Exchange.parse_json(body, response.headers.get("content-type")),
        )
        if self.on_request is not None:
            self.on_request(exchange)
        return exchange


def _retry_after(value: str | None, attempt: int) -> float:
    if value:
        try:
            return float(min(max(float(value), 0.0), _MAX_RETRY_AFTER))
        except ValueError:
            pass
    return min(0.25 * 2.0**attempt, _MAX_RETRY_AFTER)


def _pairs(query: str) -> tuple[tuple[str, str], ...]:
    return tuple(parse_qsl(query, keep_blank_values=True))
