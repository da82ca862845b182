"""Per-app state handed to every handler, and request helpers (bounded JSON bodies, error answers)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from apiward.demo._flaws import Flaw, FlawSet
from apiward.demo._store import Store
from apiward.demo._tokens import TokenService
from apiward.demo._vfs import VirtualFileSystem

__all__ = ["DemoContext", "DemoError", "Settings", "ctx", "error_response", "read_json"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Tunables of one app instance (the secure twin's limits)."""

    max_body_bytes: int = 64 * 1024
    #: Even the vulnerable app stops somewhere, so a test cannot exhaust the machine's memory.
    vulnerable_max_body_bytes: int = 8 * 1024 * 1024
    rate_limit: int = 1000
    rate_window_s: float = 10.0
    login_max_failures: int = 5
    login_lock_s: float = 30.0
    cors_origins: tuple[str, ...] = ()
    #: Hosts the twin may call back (webhooks, previews): https only, never IP literals.
    fetch_allow_hosts: tuple[str, ...] = ("hooks.example.com",)
    max_page_size: int = 100


@dataclass(slots=True, kw_only=True)
class DemoContext:
    flaws: FlawSet
    settings: Settings
    vfs: VirtualFileSystem
    store: Store
    tokens: TokenService
    rate_counters: dict[str, tuple[float, int]] = field(default_factory=dict)

    def has(self, flaw: Flaw) -> bool:
        return flaw in self.flaws


class DemoError(Exception):
    """An error answer: status, a stable code and a message safe to show."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(exc: DemoError) -> JSONResponse:
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, exc.status, headers=exc.headers)


def ctx(request: Request) -> DemoContext:
    context: DemoContext = request.app.state.demo
    return context


async def read_json(request: Request) -> dict[str, Any]:
    """The JSON object body, read with a size bound (the vulnerable app's bound is just much larger)."""
    context = ctx(request)
    limit = (
        context.settings.vulnerable_max_body_bytes
        if context.has(Flaw.OVERSIZED_PAYLOAD)
        else context.settings.max_body_bytes
    )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise DemoError(413, "payload_too_large", f"request body exceeds {limit} bytes")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if context.has(Flaw.VERBOSE_ERRORS):
        data = json.loads(raw)  # the flaw: a malformed body escapes as a traceback
    else:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise DemoError(400, "bad_json", "request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise DemoError(400, "bad_json", "request body must be a JSON object")
    return data
