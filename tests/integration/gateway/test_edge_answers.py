"""Answers made at the edge: CORS preflights before hygiene and authentication, security and CORS headers on
denials and upstream errors, and authz implied by authentication."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import yaml

from apiward.gateway import Gateway
from apiward.gateway.policies.authn_apikey import hash_api_key

CORS = {"allow_origins": ["https://app.example"], "allow_methods": ["GET", "DELETE"]}
SECURED: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}},
    "security": [{"key": []}],
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/public": {"get": {"operationId": "public", "security": [], "responses": {"200": {"description": "ok"}}}},
    },
}
KEY = "k-0123456789abcdef0123456789abcdef"
APIKEY = {"keys": [{"id": "svc", "hash": hash_api_key(KEY)}]}


def client(gateway: Gateway) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}", timeout=10)


async def secured(make_gateway: Any, tmp_path: Path, policies: dict[str, Any]) -> Gateway:
    path = tmp_path / "secured.yaml"
    path.write_text(yaml.safe_dump(SECURED))
    gateway: Gateway = await make_gateway({"spec": str(path), "policies": policies})
    return gateway


async def test_preflight_answered_before_authentication(make_gateway: Any, tmp_path: Path) -> None:
    gateway = await secured(make_gateway, tmp_path, {"authn_apikey": APIKEY, "response_cors": CORS})
    preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "GET"}
    async with client(gateway) as c:
        r = await c.options("/items/1", headers=preflight)
        assert r.status_code == 204
        assert r.content == b""
        assert "content-type" not in r.headers
        assert r.headers["access-control-allow-origin"] == "https://app.example"
        assert r.headers["x-content-type-options"] == "nosniff"  # security headers on edge answers too
        assert r.headers["access-control-allow-methods"] == "GET"  # configured ∩ served by the path
        # A foreign origin, or a method not allowed: 403, still before authentication.
        r = await c.options("/items/1", headers={**preflight, "Origin": "https://evil.example"})
        assert r.status_code == 403
        assert "access-control-allow-origin" not in r.headers
        r = await c.options("/items/1", headers={**preflight, "Access-Control-Request-Method": "PUT"})
        assert r.status_code == 403
        # DELETE is configured, but the spec has no DELETE on this path
        r = await c.options("/items/1", headers={**preflight, "Access-Control-Request-Method": "DELETE"})
        assert r.status_code == 403
        # A plain OPTIONS is not a preflight: hygiene's 405 stands.
        r = await c.options("/items/1", headers={"Origin": "https://app.example"})
        assert r.status_code == 405
        assert "GET" in r.headers["allow"]
        # A preflight for an unknown path: hygiene's 404.
        assert (await c.options("/nowhere", headers=preflight)).status_code == 404
    audit = gateway.runtime.pipeline.policies[-1]  # type: ignore[union-attr]
    answered = [e for e in audit.sink.events if "GW-CORS-000" in e.matched_rules]
    assert answered
    assert str(answered[0].decision) == "allow"


async def test_preflight_with_a_body_is_not_answered_at_the_edge(make_gateway: Any) -> None:
    gateway: Gateway = await make_gateway({"policies": {"response_cors": CORS}})
    headers = {"Origin": "https://app.example", "Access-Control-Request-Method": "GET"}
    async with client(gateway) as c:
        r = await c.request("OPTIONS", "/items/1", headers=headers, content=b"x")
    assert r.status_code == 405  # went on to hygiene like any OPTIONS


async def test_denials_carry_security_and_cors_headers(make_gateway: Any, tmp_path: Path) -> None:
    gateway = await secured(make_gateway, tmp_path, {"authn_apikey": APIKEY, "response_cors": CORS})
    async with client(gateway) as c:
        r = await c.get("/items/1", headers={"Origin": "https://app.example"})
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["access-control-allow-origin"] == "https://app.example"
        assert "x-request-id" in r.headers
        r = await c.get("/items/1", headers={"Origin": "https://evil.example"})
        assert r.status_code == 401
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "access-control-allow-origin" not in r.headers


async def test_security_headers_off_leave_denials_bare(make_gateway: Any) -> None:
    gateway: Gateway = await make_gateway({"policies": {"response_headers": {"mode": "off"}}})
    async with client(gateway) as c:
        r = await c.get("/nowhere")
    assert r.status_code == 404
    assert "x-content-type-options" not in r.headers


async def test_upstream_errors_carry_security_headers(make_gateway: Any, closed_port: int) -> None:
    gateway: Gateway = await make_gateway({"upstream": {"url": f"http://127.0.0.1:{closed_port}"}})
    async with client(gateway) as c:
        r = await c.get("/items/1")
    assert r.status_code == 502
    assert r.headers["x-content-type-options"] == "nosniff"


async def test_authentication_implies_authz(make_gateway: Any, tmp_path: Path) -> None:
    gateway = await secured(make_gateway, tmp_path, {"authn_apikey": APIKEY})
    assert "authz" in gateway.runtime.pipeline.names  # type: ignore[union-attr]
    async with client(gateway) as c:
        r = await c.get("/items/1")
        assert r.status_code == 401
        assert "www-authenticate" in r.headers
        assert (await c.get("/items/1", headers={"X-Api-Key": KEY})).status_code == 200
        assert (await c.get("/public")).status_code == 200


async def test_authz_explicitly_off_stays_off(make_gateway: Any, tmp_path: Path) -> None:
    gateway = await secured(make_gateway, tmp_path, {"authn_apikey": APIKEY, "authz": {"mode": "off"}})
    assert "authz" not in gateway.runtime.pipeline.names  # type: ignore[union-attr]
    async with client(gateway) as c:
        assert (await c.get("/items/1")).status_code == 200


async def test_no_authentication_no_implied_authz(make_gateway: Any, tmp_path: Path) -> None:
    gateway = await secured(make_gateway, tmp_path, {})
    assert "authz" not in gateway.runtime.pipeline.names  # type: ignore[union-attr]


async def test_implied_authz_without_a_spec_requires_credentials(make_gateway: Any) -> None:
    gateway: Gateway = await make_gateway({"policies": {"authn_apikey": APIKEY}}, spec=False)
    async with client(gateway) as c:
        assert (await c.get("/anything")).status_code == 401
        assert (await c.get("/anything", headers={"X-Api-Key": KEY})).status_code == 200
