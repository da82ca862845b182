"""Property tests: request validation and response rewriting never raise on hostile input."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apiward.core import HttpRequest, HttpResponse
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import response_mask, response_scrub, response_validate, validate_request
from apiward.spec import load_document
from apiward.state import MemoryBackend

ITEM = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z]+$"},
        "tags": {"type": "array", "items": {"type": "integer"}},
    },
}
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/items/{id}": {
            "post": {
                "operationId": "op",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "n", "in": "query", "schema": {"type": "array", "items": {"type": "number"}}},
                    {"name": "flag", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "X-Mode", "in": "header", "schema": {"type": "string", "enum": ["a", "b"]}},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": ITEM},
                        "application/xml": {"schema": ITEM},
                        "multipart/form-data": {"schema": ITEM},
                        "application/x-www-form-urlencoded": {"schema": ITEM},
                    }
                },
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ITEM}}}},
            }
        }
    },
}
MODEL = load_document(DOC, source="props.yaml")
CTX = PolicyContext(mode=Mode.ENFORCE, model=MODEL, state=MemoryBackend(), http=httpx.AsyncClient())
VALIDATE = validate_request.build({"strict": True}, CTX)
RESPONSE = [
    response_validate.build({}, CTX),
    response_mask.build({"kinds": ["card", "secret", "password_hash", "email", "ssn"]}, CTX),
    response_scrub.build({"statuses": ["4xx", "5xx"]}, CTX),
]
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/xml",
        "multipart/form-data; boundary=b",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/json; charset=utf-8",
    ]
)
BODIES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
        max_leaves=15,
    ).map(lambda v: json.dumps(v).encode()),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path_id=st.text(max_size=10),
    query=st.text(max_size=60),
    mode=st.text(max_size=5),
    ct=CONTENT_TYPES,
    body=BODIES,
)
def test_request_validation_never_raises(path_id: str, query: str, mode: str, ct: str, body: bytes) -> None:
    request = HttpRequest(
        method="POST",
        path=f"/items/{path_id}",
        query=query,
        headers=(("Content-Type", ct), ("X-Mode", mode)),
        body=body,
    )
    ex = Exchange(request=request, operation=MODEL.operation("op"), path_params={"id": path_id})
    deny = asyncio.run(VALIDATE.on_request(ex))
    assert deny is None or 400 <= deny.status < 500


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=st.sampled_from([200, 201, 404, 500, 503]), ct=CONTENT_TYPES, body=BODIES)
def test_response_policies_never_raise(status: int, ct: str, body: bytes) -> None:
    ex = Exchange(request=HttpRequest(method="POST", path="/items/1"), operation=MODEL.operation("op"))
    ex.response = HttpResponse(status=status, headers=(("Content-Type", ct),), body=body)
    for policy in RESPONSE:
        deny = asyncio.run(policy.on_response(ex))
        assert deny is None or deny.status == 502
        assert ex.response is not None
