"""response_headers: security headers added, banners removed, no-store for authenticated answers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from apiward.core import ConfigError, HttpRequest, HttpResponse, Identity
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import response_headers
from apiward.state import MemoryBackend


def policy(mode: Mode = Mode.ENFORCE, **options: Any) -> Any:
    ctx = PolicyContext(mode=mode, model=None, state=MemoryBackend(), http=httpx.AsyncClient())
    return response_headers.build(options, ctx)


def exchange(*headers: tuple[str, str], identity: Identity | None = None) -> Exchange:
    ex = Exchange(request=HttpRequest(method="GET", path="/"), identity=identity)
    ex.response = HttpResponse(status=200, headers=(("Content-Type", "application/json"), *headers), body=b"{}")
    return ex


async def test_adds_security_headers_and_removes_banners() -> None:
    ex = exchange(("Server", "nginx/1.2.3"), ("X-Powered-By", "Express"))
    assert await policy().on_response(ex) is None
    assert ex.response is not None
    got = dict(ex.response.headers)
    assert got["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["X-Frame-Options"] == "DENY"
    assert got["Referrer-Policy"] == "no-referrer"
    assert got["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "Server" not in got
    assert "X-Powered-By" not in got
    assert "Cache-Control" not in got  # anonymous


async def test_log_only_changes_nothing() -> None:
    ex = exchange(("Server", "nginx"))
    before = ex.response
    assert await policy(Mode.LOG_ONLY).on_response(ex) is None
    assert ex.response is before
    assert ex.notes["would_rewrite"][0]["remove"] == ["server"]


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
async def test_clean_response_is_left_alone(mode: Mode) -> None:
    p = policy(
        mode,
        hsts=False,
        content_type_options=False,
        frame_options=False,
        referrer_policy=False,
        content_security_policy=False,
    )
    ex = exchange()
    before = ex.response
    assert await p.on_response(ex) is None
    assert ex.response is before


async def test_authenticated_responses_are_not_cached() -> None:
    alice = Identity(subject="alice", kind="jwt")
    ex = exchange(identity=alice)
    await policy().on_response(ex)
    assert ex.response is not None
    assert ex.response.header("cache-control") == "no-store"
    public = exchange(("Cache-Control", "public, max-age=600"), identity=alice)
    await policy().on_response(public)
    assert public.response is not None
    assert public.response.header("cache-control") == "no-store"
    private = exchange(("Cache-Control", "private, max-age=60"), identity=alice)
    await policy().on_response(private)
    assert private.response is not None
    assert private.response.header("cache-control") == "private, max-age=60"


async def test_upstream_values_kept_unless_override() -> None:
    ex = exchange(("X-Frame-Options", "SAMEORIGIN"))
    await policy().on_response(ex)
    assert ex.response is not None
    assert ex.response.header("x-frame-options") == "SAMEORIGIN"
    ex = exchange(("X-Frame-Options", "SAMEORIGIN"))
    await policy(override=True).on_response(ex)
    assert ex.response is not None
    assert ex.response.header("x-frame-options") == "DENY"


async def test_gateway_made_answers_get_headers_too() -> None:
    ex = Exchange(request=HttpRequest(method="GET", path="/"))
    await policy().on_response(ex)
    assert ex.response_headers["X-Content-Type-Options"] == "nosniff"


def test_bad_options() -> None:
    with pytest.raises(ConfigError) as info:
        policy(hsts={"max_age": -1})
    assert info.value.pointer is not None
    assert info.value.pointer.startswith("policies.response_headers.hsts")


async def test_per_route_log_only() -> None:
    from apiward.spec import ApiOperation

    op = ApiOperation(method="GET", path="/", operation_id="root")
    ctx = PolicyContext(
        mode=Mode.ENFORCE,
        model=None,
        state=MemoryBackend(),
        http=httpx.AsyncClient(),
        route_options={"root": {"mode": "log-only"}},
    )
    p = response_headers.build({}, ctx)
    ex = exchange(("Server", "nginx"))
    ex.operation = op
    before = ex.response
    await p.on_response(ex)
    assert ex.response is before
    other = exchange(("Server", "nginx"))
    await p.on_response(other)
    assert other.response is not None
    assert other.response.header("server") is None
