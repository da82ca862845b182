"""response_cors: allow-listed origins, preflights answered at the edge, never '*' with credentials."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from apiward.core import ConfigError, HttpRequest, HttpResponse
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import response_cors
from apiward.state import MemoryBackend

APP = "https://app.example.com"


def policy(mode: Mode = Mode.ENFORCE, **options: Any) -> Any:
    options.setdefault("allow_origins", [APP, "https://*.partner.example"])
    ctx = PolicyContext(mode=mode, model=None, state=MemoryBackend(), http=httpx.AsyncClient())
    return response_cors.build(options, ctx)


def preflight_stage(mode: Mode = Mode.ENFORCE, **options: Any) -> Any:
    """The first pipeline stage, which answers preflights at the edge."""
    options.setdefault("allow_origins", [APP, "https://*.partner.example"])
    ctx = PolicyContext(mode=mode, model=None, state=MemoryBackend(), http=httpx.AsyncClient())
    return response_cors.build_preflight_stage(options, ctx)


def preflight(origin: str, method: str = "PUT", headers: str = "content-type") -> Exchange:
    return Exchange(
        request=HttpRequest(
            method="OPTIONS",
            path="/items",
            headers=(
                ("Origin", origin),
                ("Access-Control-Request-Method", method),
                ("Access-Control-Request-Headers", headers),
            ),
        )
    )


def actual(origin: str | None, *upstream: tuple[str, str]) -> Exchange:
    headers = (("Origin", origin),) if origin else ()
    ex = Exchange(request=HttpRequest(method="GET", path="/items", headers=headers))
    ex.response = HttpResponse(status=200, headers=upstream, body=b"{}")
    return ex


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize("origin", [APP, "https://shop.partner.example"])
async def test_preflight_allowed_is_answered_at_the_edge(origin: str, mode: Mode) -> None:
    ex = preflight(origin)
    answer = await preflight_stage(mode, allow_credentials=True).on_request(ex)
    assert answer is not None
    assert (answer.status, answer.rule_id) == (204, "GW-CORS-000")
    assert answer.headers["Access-Control-Allow-Origin"] == origin
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert "PUT" in answer.headers["Access-Control-Allow-Methods"]
    assert ex.response is not None
    assert ex.response.status == 204


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize(
    "ex",
    [
        preflight("https://evil.example"),
        preflight("https://app.example.com.evil.example"),
        preflight("https://a.b.partner.example"),
        preflight("null"),
        preflight(APP, method="TRACE"),
        preflight(APP, headers="x-admin"),
    ],
    ids=["foreign", "suffix-trick", "two-labels", "null", "method", "header"],
)
async def test_preflight_refused(ex: Exchange, mode: Mode) -> None:
    deny = await preflight_stage(mode).on_request(ex)
    assert deny is not None
    assert (deny.status, deny.rule_id) == (403, "GW-CORS-001")


async def test_actual_response_gets_cors_headers_and_upstream_ones_are_dropped() -> None:
    ex = actual(APP, ("Access-Control-Allow-Origin", "*"), ("Vary", "Accept"))
    assert await policy(allow_credentials=True, expose_headers=["X-Request-Id"]).on_response(ex) is None
    assert ex.response is not None
    got = dict(ex.response.headers)
    assert got["Access-Control-Allow-Origin"] == APP
    assert got["Access-Control-Allow-Credentials"] == "true"
    assert got["Access-Control-Expose-Headers"] == "X-Request-Id"
    assert got["Vary"] == "Accept, Origin"


async def test_foreign_origin_gets_no_cors_headers() -> None:
    ex = actual("https://evil.example", ("Access-Control-Allow-Origin", "https://evil.example"))
    await policy().on_response(ex)
    assert ex.response is not None
    assert ex.response.header("access-control-allow-origin") is None
    assert await policy().on_request(actual("https://evil.example")) is None
    deny = await policy(block_foreign_origins=True).on_request(actual("https://evil.example"))
    assert deny is not None
    assert deny.status == 403


async def test_star_without_credentials() -> None:
    ex = actual("https://anyone.example")
    await policy(allow_origins=["*"]).on_response(ex)
    assert ex.response is not None
    assert ex.response.header("access-control-allow-origin") == "*"


def test_star_with_credentials_is_refused() -> None:
    with pytest.raises(ConfigError) as info:
        policy(allow_origins=["*"], allow_credentials=True)
    assert info.value.pointer == "policies.response_cors.allow_origins"
    with pytest.raises(ConfigError):
        policy(allow_origins=["app.example.com"])


async def test_the_response_stage_leaves_preflights_to_the_edge_stage() -> None:
    assert await policy(block_foreign_origins=True).on_request(preflight("https://evil.example")) is None
    assert await preflight_stage().on_request(actual(APP)) is None  # not a preflight: passes on


async def test_edge_stage_ignores_a_preflight_with_a_body() -> None:
    ex = preflight(APP)
    ex.request = HttpRequest(method="OPTIONS", path="/items", headers=ex.request.headers, body=b"x")
    assert await preflight_stage().on_request(ex) is None
