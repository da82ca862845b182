"""response_validate: schema checks per status, undocumented fields stripped or blocked."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from apiward.core import HttpRequest, HttpResponse
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import response_validate
from apiward.spec import load_document
from apiward.state import MemoryBackend

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "components": {
        "schemas": {
            "User": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "password": {"type": "string", "writeOnly": True},
                    "friends": {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
                    "meta": {"type": "object", "additionalProperties": True, "properties": {"a": {"type": "string"}}},
                },
            },
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
        }
    },
    "paths": {
        "/users/{id}": {
            "get": {
                "operationId": "getUser",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}},
                    },
                    "4XX": {
                        "description": "err",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                },
            }
        }
    },
}
MODEL = load_document(DOC, source="t.yaml")


def policy(mode: Mode = Mode.ENFORCE, **options: Any) -> Any:
    ctx = PolicyContext(mode=mode, model=MODEL, state=MemoryBackend(), http=httpx.AsyncClient())
    return response_validate.build(options, ctx)


def exchange(status: int, body: Any, ct: str = "application/json") -> Exchange:
    ex = Exchange(request=HttpRequest(method="GET", path="/users/1"), operation=MODEL.operation("getUser"))
    raw = json.dumps(body).encode() if not isinstance(body, bytes) else body
    ex.response = HttpResponse(status=status, headers=(("Content-Type", ct),), body=raw)
    return ex


GOOD = {"id": 1, "name": "alice", "friends": [{"id": 2, "name": "bob"}], "meta": {"a": "x", "free": 1}}


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize(
    "ex",
    [exchange(200, GOOD), exchange(404, {"message": "no such user"}), exchange(204, b"")],
    ids=["200", "4XX", "empty"],
)
async def test_documented_responses_pass(ex: Exchange, mode: Mode) -> None:
    before = ex.response
    assert await policy(mode).on_response(ex) is None
    assert ex.response is before


async def test_undocumented_fields_are_stripped_recursively() -> None:
    leaked = {**GOOD, "password_hash": "x", "friends": [{"id": 2, "name": "bob", "ssn": "1", "is_admin": True}]}
    ex = exchange(200, leaked)
    assert await policy().on_response(ex) is None
    assert ex.response is not None
    got = json.loads(ex.response.body)
    assert got == GOOD
    assert sorted(ex.notes["undocumented_fields"]) == [
        "body.friends[0].is_admin",
        "body.friends[0].ssn",
        "body.password_hash",
    ]
    assert "GW-RESP-002" in ex.matched_rules


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
async def test_undocumented_fields_blocked(mode: Mode) -> None:
    deny = await policy(mode, undocumented_fields="block").on_response(exchange(200, {**GOOD, "token": "t"}))
    assert deny is not None
    assert (deny.status, deny.rule_id) == (502, "GW-RESP-002")


async def test_log_only_does_not_strip() -> None:
    ex = exchange(200, {**GOOD, "secret": "s"})
    before = ex.response
    await policy(Mode.LOG_ONLY).on_response(ex)
    assert ex.response is before


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize(
    "body", [{"id": "one", "name": "a"}, {"name": "a"}, b"{not json"], ids=["type", "required", "malformed"]
)
async def test_invalid_bodies_blocked(body: Any, mode: Mode) -> None:
    deny = await policy(mode).on_response(exchange(200, body))
    assert deny is not None
    assert (deny.status, deny.rule_id) == (502, "GW-RESP-001")


async def test_invalid_body_only_logged_when_configured() -> None:
    ex = exchange(200, {"name": "a"})
    assert await policy(invalid="log").on_response(ex) is None
    assert "GW-RESP-001" in ex.matched_rules


async def test_undocumented_status_and_content_type() -> None:
    ex = exchange(500, {"trace": "x"})
    assert await policy().on_response(ex) is None
    assert "GW-RESP-003" in ex.matched_rules
    deny = await policy(undocumented="block").on_response(exchange(500, {"trace": "x"}))
    assert deny is not None
    assert deny.rule_id == "GW-RESP-003"
    deny = await policy(undocumented="block").on_response(exchange(200, b"<html>", ct="text/html"))
    assert deny is not None
