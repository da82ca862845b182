"""Scope guard (a second loopback server must receive nothing) and identity types against real loopback apps."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any
from urllib.parse import parse_qs

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from apiward.demo import serve
from apiward.scan import AuthConfig, ScanConfig, Scanner
from apiward.scan._auth import Auth
from apiward.scan._client import OutOfScope, ScopedClient
from apiward.scan._request import RequestSpec
from apiward.spec import load_document


def _bystander() -> tuple[Starlette, list[str]]:
    hits: list[str] = []

    async def anything(request: Request) -> Response:
        hits.append(f"{request.method} {request.url.path}")
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/{p:path}", anything, methods=["GET", "POST", "PUT", "DELETE", "PATCH"])])
    return app, hits


def _target(other: str) -> Starlette:
    async def items(request: Request) -> Response:
        return JSONResponse(
            [{"id": 1, "next": f"{other}/steal", "url": f"{other}/x"}],
            headers={"Location": f"{other}/elsewhere", "Link": f"<{other}/page2>; rel=next"},
        )

    async def create(request: Request) -> Response:
        return JSONResponse({"id": 2, "self": f"{other}/items/2"}, 201, headers={"Location": f"{other}/items/2"})

    async def redirect(request: Request) -> Response:
        return RedirectResponse(f"{other}/redirected", 302)

    return Starlette(
        routes=[
            Route("/items", items, methods=["GET"]),
            Route("/items", create, methods=["POST"]),
            Route("/go", redirect, methods=["GET"]),
        ]
    )


def _spec(other: str) -> dict[str, Any]:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array"}}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "scope", "version": "1"},
        "servers": [{"url": other}],
        "paths": {
            "/items": {
                "get": {
                    "parameters": [
                        {
                            "name": "next",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "format": "uri", "example": f"{other}/p"},
                        }
                    ],
                    "responses": ok,
                },
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"callback": {"type": "string", "format": "uri"}},
                                },
                                "example": {"callback": f"{other}/cb"},
                            }
                        }
                    },
                    "responses": {"201": {"description": "created"}},
                },
            },
            "/go": {"get": {"responses": {"302": {"description": "redirect"}}}},
        },
    }


def test_no_request_leaves_the_target() -> None:
    bystander, hits = _bystander()
    with serve(bystander) as other, serve(_target(other.url)) as target:
        model = load_document(_spec(other.url), source="scope.json")
        result = asyncio.run(Scanner(model, target=target.url, config=ScanConfig()).run())

        async def direct() -> None:
            async with ScopedClient(target.url) as client:
                with pytest.raises(OutOfScope):
                    await client.send(RequestSpec(method="GET", path=f"{other.url}/direct"))
                ex = await client.send(RequestSpec(method="GET", path="/go"), follow_redirects=True)
                assert ex.status == 302  # the off-target redirect is not followed
                assert client.blocked

        asyncio.run(direct())
    assert result.stats["requests"] > 5
    assert hits == []
    assert "user2" in result.stats["checks_not_run"]["SCN-001"]  # no identities: reported, not silently skipped


# -- identities -------------------------------------------------------------------------------------------------
def _auth_app() -> tuple[Starlette, dict[str, int]]:
    counter = itertools.count(1)
    state: dict[str, Any] = {"valid": {}, "issued": 0, "logins": 0}

    async def token(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        if form.get("client_id") != "cid" or form.get("grant_type") not in ("client_credentials", "password"):
            return JSONResponse({"error": "invalid_client"}, 401)
        tok = f"t{next(counter)}"
        state["valid"][tok] = 2  # each token works twice, then the server answers 401
        state["issued"] += 1
        return JSONResponse({"access_token": tok, "token_type": "Bearer", "expires_in": state.get("ttl", 3600)})

    async def login(request: Request) -> Response:
        body = await request.json()
        if body != {"user": "u", "pass": "p"}:
            return JSONResponse({"error": "bad"}, 401)
        state["logins"] += 1
        response = JSONResponse({"ok": True})
        response.set_cookie("sid", "session-1")
        return response

    async def me(request: Request) -> Response:
        auth = request.headers.get("authorization", "")
        if request.cookies.get("sid") == "session-1" or request.query_params.get("key") == "k1":
            return JSONResponse({"me": "ok"})
        tok = auth.removeprefix("Bearer ")
        if state["valid"].get(tok, 0) <= 0:
            return JSONResponse({"error": "expired"}, 401)
        state["valid"][tok] -= 1
        return JSONResponse({"me": tok})

    app = Starlette(
        routes=[
            Route("/oauth/token", token, methods=["POST"]),
            Route("/login", login, methods=["POST"]),
            Route("/me", me, methods=["GET"]),
        ]
    )
    return app, state


async def _call(url: str, auth: Auth, times: int) -> list[int]:
    async with ScopedClient(url) as client:
        return [(await client.send(RequestSpec(method="GET", path="/me"), auth)).status for _ in range(times)]


def test_oauth2_client_credentials_fetched_and_refreshed_on_401() -> None:
    app, state = _auth_app()
    with serve(app) as server:
        auth = Auth(
            "svc",
            AuthConfig(type="oauth2_client_credentials", options={"token_url": "/oauth/token", "client_id": "cid"}),
        )
        statuses = asyncio.run(_call(server.url, auth, 5))
    assert statuses == [200] * 5
    assert state["issued"] >= 3


def test_oauth2_token_refetched_when_it_expires() -> None:
    app, state = _auth_app()
    state["ttl"] = 1  # expires (with the safety margin) after one second

    async def two_calls(url: str, auth: Auth) -> None:
        async with ScopedClient(url) as client:
            assert (await client.send(RequestSpec(method="GET", path="/me"), auth)).status == 200
            await asyncio.sleep(1.2)
            assert (await client.send(RequestSpec(method="GET", path="/me"), auth)).status == 200

    with serve(app) as server:
        auth = Auth(
            "svc",
            AuthConfig(type="oauth2_client_credentials", options={"token_url": "/oauth/token", "client_id": "cid"}),
        )
        asyncio.run(two_calls(server.url, auth))
    assert state["issued"] == 2  # fetched again on expiry, before any 401


def test_oauth2_password_grant() -> None:
    app, _state = _auth_app()
    with serve(app) as server:
        auth = Auth(
            "pw",
            AuthConfig(
                type="oauth2_password",
                options={"token_url": "/oauth/token", "client_id": "cid", "username": "u", "password": "p"},
            ),
        )
        assert asyncio.run(_call(server.url, auth, 2)) == [200, 200]


def test_login_recipe_with_session_cookie_and_api_key_in_query() -> None:
    app, state = _auth_app()
    with serve(app) as server:
        login = Auth(
            "l",
            AuthConfig(
                type="login", options={"url": "/login", "body": {"user": "u", "pass": "p"}, "token_cookie": "sid"}
            ),
        )
        assert asyncio.run(_call(server.url, login, 3)) == [200, 200, 200]
        assert state["logins"] == 1
        key = Auth("k", AuthConfig(type="api_key", options={"name": "key", "in": "query", "value": "k1"}))
        assert asyncio.run(_call(server.url, key, 1)) == [200]
        wrong = Auth("w", AuthConfig(type="api_key", options={"name": "key", "in": "query", "value": "nope"}))
        assert asyncio.run(_call(server.url, wrong, 1)) == [401]


def _throttling_app() -> tuple[Starlette, dict[str, int]]:
    state = {"calls": 0}

    async def limited(request: Request) -> Response:
        state["calls"] += 1
        if state["calls"] <= 2:
            return JSONResponse({"error": "slow down"}, 429, headers={"Retry-After": "0"})
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route("/limited", limited, methods=["GET"])]), state


def test_429_is_retried_honouring_retry_after() -> None:
    app, state = _throttling_app()

    async def go(url: str) -> tuple[int, int]:
        async with ScopedClient(url, retries=3) as client:
            ex = await client.send(RequestSpec(method="GET", path="/limited"))
            return ex.status, client.requests

    with serve(app) as server:
        assert asyncio.run(go(server.url)) == (200, 3)
        state["calls"] = 0

        async def no_retry(url: str) -> int:
            async with ScopedClient(url, retries=3) as client:
                return (await client.send(RequestSpec(method="GET", path="/limited"), retry=False)).status

        assert asyncio.run(no_retry(server.url)) == 429


def test_request_budget_stops_the_scan_cleanly() -> None:
    bystander, hits = _bystander()
    with serve(bystander) as other, serve(_target(other.url)) as target:
        model = load_document(_spec(other.url), source="scope.json")
        result = asyncio.run(Scanner(model, target=target.url, config=ScanConfig(max_requests=4)).run())
    assert result.stats["budget_exhausted"] is True
    assert result.stats["requests"] <= 4 + 10
    assert hits == []


def test_a_failing_check_is_reported_and_the_scan_goes_on() -> None:
    from apiward.core import Confidence, OwaspApi2023, Severity
    from apiward.scan import registry
    from apiward.scan.checks import check

    @check(
        id="SCN-998",
        name="broken",
        title="broken",
        owasp=OwaspApi2023.API8,
        cwe=1,
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        remediation="-",
        category="test",
    )
    async def broken(ctx: object) -> None:
        """A check that fails, to show the scanner isolates it and keeps going with the next one."""
        raise KeyError("boom")

    bystander, _ = _bystander()
    with serve(bystander) as other, serve(_target(other.url)) as target:
        model = load_document(_spec(other.url), source="scope.json")
        checks = [broken, registry()["SCN-083"]]
        result = asyncio.run(Scanner(model, target=target.url, config=ScanConfig(), checks=checks).run())
    assert result.stats["checks_not_run"]["SCN-998"].startswith("failed: KeyError")
    assert result.stats["checks"] == ["SCN-998", "SCN-083"]
