"""Log-only mode through the real gateway: the request goes on, the decision is recorded as 'log'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import yaml

from apiward.gateway import Gateway

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
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


async def client_for(make_gateway: Any, tmp_path: Path, doc: dict[str, Any]) -> httpx.AsyncClient:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    gateway: Gateway = await make_gateway({"spec": str(path), **doc})
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}", timeout=10)


async def test_enforce_vs_log_only(make_gateway: Any, tmp_path: Path) -> None:
    async with await client_for(make_gateway, tmp_path, {"policies": {"authz": {}}}) as client:
        assert (await client.get("/items/1")).status_code == 401
        assert (await client.get("/public")).status_code == 200
    policies = {"authz": {"mode": "log-only"}, "validate_request": {"mode": "log-only"}}
    async with await client_for(make_gateway, tmp_path, {"policies": policies}) as client:
        r = await client.get("/items/abc")  # no credentials and an invalid path parameter: both only logged
        assert r.status_code == 200
        assert r.json()["path"] == "/items/abc"


async def test_per_route_log_only(make_gateway: Any, tmp_path: Path) -> None:
    doc = {"policies": {"authz": {}}, "routes": {"getItem": {"authz": {"mode": "log-only"}}}}
    async with await client_for(make_gateway, tmp_path, doc) as client:
        assert (await client.get("/items/1")).status_code == 200
