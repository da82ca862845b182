"""The outermost layer of both apps: TRACE, old-version routing, body-size and rate limits, response
headers and the last-resort error handler. A plain ASGI middleware so it sees every response."""

from __future__ import annotations

import platform
import time
import traceback

import starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from apiward.demo._context import DemoContext
from apiward.demo._flaws import Flaw

__all__ = ["DemoMiddleware"]

_SECURE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"strict-transport-security", b"max-age=31536000"),
]
_VERSION_HEADERS = [
    (b"server", f"uvicorn/0.29.0 (Python/{platform.python_version()})".encode()),
    (b"x-powered-by", f"Starlette/{starlette.__version__}".encode()),
]


class DemoMiddleware:
    def __init__(self, app: ASGIApp, context: DemoContext) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        context = self.context
        extra = list(_VERSION_HEADERS if context.has(Flaw.VERSION_DISCLOSURE) else [])
        if not context.has(Flaw.MISSING_SECURITY_HEADERS):
            extra += _SECURE_HEADERS
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        path: str = scope["path"]
        if path.startswith("/api/v1/") and context.has(Flaw.UNDOCUMENTED_ENDPOINTS):
            # the flaw: the retired v1 still routes to the live handlers
            current = "/api/v2/" + path[len("/api/v1/") :]
            scope = {**scope, "path": current, "raw_path": current.encode()}
        if scope["method"] == "TRACE":
            await self._trace(scope, send_with_headers)
            return
        too_big = self._too_big(scope)
        if too_big is not None:
            await _json(send_with_headers, 413, b'{"error":{"code":"payload_too_large","message":"%s"}}' % too_big)
            return
        if not context.has(Flaw.NO_RATE_LIMIT):
            limited = self._rate_limit(scope, extra)
            if limited is not None:
                await _json(
                    send_with_headers,
                    429,
                    b'{"error":{"code":"rate_limited","message":"slow down"}}',
                    [(b"retry-after", str(limited).encode())],
                )
                return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            if context.has(Flaw.VERBOSE_ERRORS):
                body = ("Internal Server Error\n\n" + traceback.format_exc()).encode()
                await _send(send_with_headers, 500, body, b"text/plain; charset=utf-8")
            else:
                await _json(send_with_headers, 500, b'{"error":{"code":"internal","message":"internal error"}}')

    async def _trace(self, scope: Scope, send: Send) -> None:
        if not self.context.has(Flaw.UNDECLARED_METHODS):
            await _json(send, 405, b'{"error":{"code":"method_not_allowed","message":"method not allowed"}}')
            return
        lines = [f"TRACE {scope['path']} HTTP/{scope.get('http_version', '1.1')}"]
        lines += [f"{k.decode('latin-1')}: {v.decode('latin-1')}" for k, v in scope["headers"]]
        await _send(send, 200, ("\r\n".join(lines) + "\r\n").encode(), b"message/http")

    def _too_big(self, scope: Scope) -> bytes | None:
        if self.context.has(Flaw.OVERSIZED_PAYLOAD):
            return None
        limit = self.context.settings.max_body_bytes
        for key, value in scope["headers"]:
            if key == b"content-length" and value.isdigit() and int(value) > limit:
                return b"request body exceeds %d bytes" % limit
        return None

    def _rate_limit(self, scope: Scope, extra: list[tuple[bytes, bytes]]) -> int | None:
        """A fixed window per principal (credential, else client address); ``Retry-After`` seconds if over."""
        settings = self.context.settings
        headers = dict(scope["headers"])
        client = scope.get("client") or ("?", 0)
        principal = (headers.get(b"authorization") or headers.get(b"x-api-key") or client[0].encode()).decode("latin-1")
        now = time.monotonic()
        start, count = self.context.rate_counters.get(principal, (now, 0))
        if now - start >= settings.rate_window_s:
            start, count = now, 0
        count += 1
        self.context.rate_counters[principal] = (start, count)
        if len(self.context.rate_counters) > 10_000:
            self.context.rate_counters.clear()
        reset = max(1, int(settings.rate_window_s - (now - start) + 0.999))
        remaining = max(0, settings.rate_limit - count)
        extra += [
            (b"ratelimit-limit", str(settings.rate_limit).encode()),
            (b"ratelimit-remaining", str(remaining).encode()),
            (b"ratelimit-reset", str(reset).encode()),
            (b"x-ratelimit-limit", str(settings.rate_limit).encode()),
            (b"x-ratelimit-remaining", str(remaining).encode()),
        ]
        return reset if count > settings.rate_limit else None


async def _send(
    send: Send, status: int, body: bytes, content_type: bytes, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    head = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


async def _json(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    await _send(send, status, body, b"application/json", headers)
