"""Stateful chaining: ids from response bodies, ``Location`` and OpenAPI links feed later requests; writes only
ever target objects the scanner created (identity safety)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from apiward.scan._auth import Auth
from apiward.scan._client import ScopedClient
from apiward.scan._config import AuthConfig, ScanConfig
from apiward.scan._context import ScanContext
from apiward.scan._request import Exchange, RequestSpec
from apiward.spec import load_document

_ID = {"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}
_ORDER = {"name": "orderId", "in": "path", "required": True, "schema": {"type": "integer"}}
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "chain", "version": "1"},
    "paths": {
        "/things": {
            "post": {
                "operationId": "createThing",
                "responses": {
                    "201": {
                        "description": "created",
                        "links": {"Get": {"operationId": "getThing", "parameters": {"thingId": "$response.body#/uid"}}},
                    }
                },
            }
        },
        "/things/{thingId}": {"get": {"operationId": "getThing", "parameters": [_ID], "responses": {"200": {}}}},
        "/orders": {"post": {"responses": {"201": {"description": "created"}}}},
        "/orders/{orderId}": {
            "get": {"parameters": [_ORDER], "responses": {"200": {"description": "ok"}}},
            "put": {"parameters": [_ORDER], "responses": {"200": {"description": "ok"}}},
        },
    },
}


def _exchange(data: Any, headers: tuple[tuple[str, str], ...] = ()) -> Exchange:
    body = json.dumps(data).encode()
    return Exchange(
        method="POST",
        url="http://127.0.0.1:9/x",
        request_headers=(),
        request_body=b"",
        status=201,
        headers=headers,
        body=body,
        elapsed_ms=1.0,
        data=data,
    )


def test_links_inferred_ids_and_owned_writes() -> None:
    model = load_document(DOC, source="chain.json")
    ops = {op.ref.key: op for op in model.operations}

    async def run() -> None:
        async with ScopedClient("http://127.0.0.1:9") as client:
            alice = Auth("alice", AuthConfig())
            ctx = ScanContext(model, client, ScanConfig(), [("user", alice)], emit=lambda e: None)
            # nothing created yet: a read falls back to a generated id, a write is refused
            assert ctx.build(ops["PUT /orders/{orderId}"], alice) is None
            # an OpenAPI link carries the created thing's uid to getThing
            ctx._harvest(ops["POST /things"], _exchange({"uid": "t-42"}))
            spec = ctx.build(ops["GET /things/{thingId}"], alice)
            assert spec is not None
            assert spec.path == "/things/t-42"
            # inferred producer -> consumer: POST /orders creates, {orderId} consumes, also via Location
            post = ops["POST /orders"]
            created = ctx.add_resource(
                post, RequestSpec(method="POST", path="/orders"), _exchange({}, (("Location", "/orders/77"),)), alice
            )
            assert created is not None
            assert created.id == "77"
            put = ctx.build(ops["PUT /orders/{orderId}"], alice)
            assert put is not None
            assert put.path == "/orders/77"
            # another identity does not own it: its writes are still refused
            assert ctx.build(ops["PUT /orders/{orderId}"], Auth("bob", AuthConfig())) is None

    asyncio.run(run())
