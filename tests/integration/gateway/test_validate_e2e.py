"""Fuzz through the real gateway with identity, validation and threat policies on: no policy ever errs.

A policy that raised would be turned into ``503 GW-PIPE-001`` by the pipeline (fail closed); the
property is that hostile credentials, parameters and bodies only ever get 2xx or 4xx answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apiward.gateway import Gateway
from apiward.gateway.policies.authn_apikey import hash_api_key
from support.issuer import Issuer

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        }
    },
    "security": [{"bearer": ["read"]}, {"key": []}],
    "paths": {
        "/items/{id}": {
            "post": {
                "operationId": "updateItem",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {"name": {"type": "string"}, "qty": {"type": "integer"}},
                            }
                        },
                        "application/xml": {"schema": {"type": "object"}},
                        "multipart/form-data": {"schema": {"type": "object"}},
                    }
                },
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
                },
            }
        }
    },
}


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    with Issuer() as running:
        yield running


@pytest.fixture
async def gateway(make_gateway: Any, tmp_path: Path, issuer: Issuer) -> Gateway:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    policies = {
        "authn_jwt": {"jwks_url": issuer.jwks_url, "audience": issuer.audience},
        "authn_introspection": {
            "endpoint": issuer.introspection_url,
            "client_id": issuer.client_id,
            "client_secret": issuer.client_secret,
        },
        "authn_apikey": {"keys": [{"id": "k", "hash": hash_api_key("good-key-0123456789abcdef")}]},
        "authz": {},
        "validate_request": {"strict": True},
        "response_validate": {},
        "response_mask": {},
        "response_scrub": {},
        "response_cors": {"allow_origins": ["https://app.example.com"]},
    }
    gw: Gateway = await make_gateway({"spec": str(path), "policies": policies})
    return gw


AUTH = st.one_of(
    st.just(None),
    st.text(max_size=40).map(lambda t: "Bearer " + t),
    st.sampled_from(["Bearer ", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.e30.", "Basic Zm9vOmJhcg==", "bearer x"]),
)
BODY = st.one_of(
    st.binary(max_size=200),
    st.recursive(
        st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=12),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
        max_leaves=12,
    ).map(lambda v: json.dumps(v).encode()),
)
CT = st.sampled_from(["application/json", "application/xml", "multipart/form-data; boundary=x", "text/plain", ""])
PRINTABLE = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    auth=AUTH,
    key=st.one_of(st.just(None), st.just("good-key-0123456789abcdef"), PRINTABLE),
    item=st.one_of(st.just("1"), PRINTABLE.map(lambda t: t.replace("/", "").replace("?", "").replace("#", "") or "x")),
    query=PRINTABLE,
    ct=CT,
    body=BODY,
)
async def test_hostile_requests_never_make_a_policy_err(
    gateway: Gateway, auth: str | None, key: str | None, item: str, query: str, ct: str, body: bytes
) -> None:
    headers = {}
    if auth is not None:
        headers["Authorization"] = "".join(c for c in auth if 0x20 <= ord(c) < 0x7F).strip()
    if key is not None:
        headers["X-API-Key"] = key
    if ct:
        headers["Content-Type"] = ct
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.post(
            f"http://127.0.0.1:{gateway.port}/items/{item}", params={"q": query}, headers=headers, content=body
        )
    assert r.status_code < 500, (r.status_code, r.text)
    assert "Traceback" not in r.text
