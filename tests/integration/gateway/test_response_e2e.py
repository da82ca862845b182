"""Response protection through the real gateway: validation/stripping, masking, headers, CORS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import yaml

from apiward.gateway import Gateway

APP = "https://app.example.com"
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "shop", "version": "1"},
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["path"],
                                    "properties": {"method": {"type": "string"}, "path": {"type": "string"}},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/items": {
            "post": {
                "operationId": "createItem",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"201": {"description": "created", "content": {"application/json": {}}}},
            }
        },
    },
}


async def start(make_gateway: Any, tmp_path: Path, policies: dict[str, Any]) -> httpx.AsyncClient:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    gateway: Gateway = await make_gateway({"spec": str(path), "policies": policies})
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}", timeout=10)


async def test_undocumented_fields_are_stripped(make_gateway: Any, tmp_path: Path) -> None:
    async with await start(make_gateway, tmp_path, {"response_validate": {}}) as client:
        r = await client.get("/items/1", headers={"X-Secret-Header": "s3cr3t"})
        assert r.status_code == 200
        assert r.json() == {"method": "GET", "path": "/items/1"}  # query, headers, body stripped
        assert "s3cr3t" not in r.text
        assert r.headers["content-length"] == str(len(r.content))


async def test_undocumented_fields_blocked(make_gateway: Any, tmp_path: Path) -> None:
    policies = {"response_validate": {"undocumented_fields": "block"}}
    async with await start(make_gateway, tmp_path, policies) as client:
        r = await client.get("/items/1")
        assert r.status_code == 502
        assert r.headers["content-type"] == "application/problem+json"
        assert "headers" not in r.text


async def test_card_numbers_are_masked(make_gateway: Any, tmp_path: Path) -> None:
    async with await start(make_gateway, tmp_path, {"response_mask": {}}) as client:
        r = await client.post("/items", json={"card": "4111 1111 1111 1111"})
        assert r.status_code == 201
        assert "4111 1111 1111 1111" not in r.text
        assert "1111" in r.json()["body"]


async def test_security_headers_and_banners(make_gateway: Any, tmp_path: Path) -> None:
    async with await start(make_gateway, tmp_path, {"response_headers": {}}) as client:
        r = await client.get("/items/1")
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["strict-transport-security"].startswith("max-age=")
        assert "x-powered-by" not in r.headers


async def test_cors_on_actual_requests(make_gateway: Any, tmp_path: Path) -> None:
    policies = {"response_cors": {"allow_origins": [APP], "allow_credentials": True}}
    async with await start(make_gateway, tmp_path, policies) as client:
        r = await client.get("/items/1", headers={"Origin": APP})
        assert r.headers["access-control-allow-origin"] == APP
        assert r.headers["access-control-allow-credentials"] == "true"
        assert "origin" in r.headers["vary"].lower()
        r = await client.get("/items/1", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


async def test_preflight_is_answered_at_the_edge(make_gateway: Any, tmp_path: Path) -> None:
    # A preflight is an OPTIONS the spec does not list: hygiene must let it reach response_cors.
    policies = {
        "hygiene": {"method_not_allowed": "allow"},
        "authz": {},  # preflights carry no credentials: authz lets them through to response_cors
        "response_cors": {"allow_origins": [APP]},
    }
    async with await start(make_gateway, tmp_path, policies) as client:
        headers = {
            "Origin": APP,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        r = await client.options("/items", headers=headers)
        assert r.status_code == 204
        assert r.headers["access-control-allow-origin"] == APP
        assert "POST" in r.headers["access-control-allow-methods"]
        assert r.content == b""
        r = await client.options("/items", headers={**headers, "Origin": "https://evil.example"})
        assert r.status_code == 403
