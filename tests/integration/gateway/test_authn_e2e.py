"""Identity, schema and response protection through the real gateway, with a real loopback issuer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import orjson
import pytest
import yaml

from apiward.gateway import Gateway
from apiward.gateway.policies.authn_apikey import hash_api_key
from support.issuer import Issuer

API_KEY = "ak_test_0123456789abcdef0123456789abcdef"
PHANTOM = "phantom-signing-secret-0123456789abcdef"

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "shop", "version": "1"},
    "components": {
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {"read": "r", "write": "w"}}},
            },
            "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        },
        "schemas": {
            "Item": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {"name": {"type": "string", "maxLength": 30}, "qty": {"type": "integer"}},
            }
        },
    },
    "security": [{"oauth": ["read"]}],
    "paths": {
        "/items": {
            "get": {
                "operationId": "listItems",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "operationId": "createItem",
                "security": [{"oauth": ["write"]}, {"key": []}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                },
                "responses": {"201": {"description": "created"}},
            },
        },
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "security": [{}],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    with Issuer() as running:
        yield running


@pytest.fixture
def secured_spec(tmp_path: Path) -> Path:
    path = tmp_path / "secured.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    return path


@pytest.fixture
async def gateway(make_gateway: Any, secured_spec: Path, issuer: Issuer) -> Gateway:
    policies = {
        "authn_jwt": {"jwks_url": issuer.jwks_url, "issuer": issuer.url, "audience": issuer.audience},
        "authn_introspection": {
            "endpoint": issuer.introspection_url,
            "client_id": issuer.client_id,
            "client_secret": issuer.client_secret,
            "phantom": {"secret": PHANTOM},
        },
        "authn_apikey": {"keys": [{"id": "svc", "hash": hash_api_key(API_KEY)}]},
        "authz": {},
        "validate_request": {},
        "threat": {"paranoia": 1},
        "response_headers": {},
    }
    gw: Gateway = await make_gateway({"spec": str(secured_spec), "policies": policies})
    return gw


@pytest.fixture
async def client(gateway: Gateway) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}", timeout=10) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_no_token_is_401_with_a_plain_challenge(client: httpx.AsyncClient) -> None:
    r = await client.get("/items")
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"] == 'Bearer realm="apiward"'


async def test_valid_jwt_reaches_the_upstream(client: httpx.AsyncClient, issuer: Issuer) -> None:
    r = await client.get("/items", headers=bearer(issuer.mint(scope="read")))
    assert r.status_code == 200
    assert r.json()["path"] == "/items"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("kind", ["expired", "alg-none", "wrong-aud"])
async def test_bad_jwts_are_401_invalid_token(client: httpx.AsyncClient, issuer: Issuer, kind: str) -> None:
    token = {
        "expired": lambda: issuer.mint(exp=1, iat=0, nbf=0),
        "alg-none": lambda: jwt.encode(issuer.claims(), None, algorithm="none"),  # type: ignore[arg-type]
        "wrong-aud": lambda: issuer.mint(aud="https://elsewhere"),
    }[kind]()
    r = await client.get("/items", headers=bearer(token))
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith('Bearer realm="apiward", error="invalid_token"')
    assert "upstream" not in r.text


async def test_missing_scope_is_403_insufficient_scope(client: httpx.AsyncClient, issuer: Issuer) -> None:
    r = await client.post("/items", headers=bearer(issuer.mint(scope="read")), json={"name": "pen"})
    assert r.status_code == 403
    assert 'error="insufficient_scope"' in r.headers["www-authenticate"]
    assert 'scope="write"' in r.headers["www-authenticate"]


async def test_api_key_alternative_and_body_validation(client: httpx.AsyncClient) -> None:
    r = await client.post("/items", headers={"X-API-Key": API_KEY}, json={"name": "pen", "qty": 2})
    assert r.status_code == 201
    r = await client.post("/items", headers={"X-API-Key": API_KEY}, json={"name": "pen", "admin": True})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    r = await client.post("/items", headers={"X-API-Key": "wrong"}, json={"name": "pen"})
    assert r.status_code == 401


async def test_anonymous_where_declared(client: httpx.AsyncClient) -> None:
    assert (await client.get("/items/7")).status_code == 200
    assert (await client.get("/items/seven")).status_code == 400


async def test_attack_is_refused(client: httpx.AsyncClient, issuer: Issuer) -> None:
    r = await client.get("/items", params={"q": "1' or 1=1--"}, headers=bearer(issuer.mint(scope="read")))
    assert r.status_code == 403
    assert r.json()["title"] == "Request blocked"


async def test_opaque_token_becomes_a_phantom_jwt_upstream(client: httpx.AsyncClient, issuer: Issuer) -> None:
    opaque = issuer.issue_opaque(sub="bob", scope="read")
    r = await client.get("/items", headers=bearer(opaque))
    assert r.status_code == 200
    upstream_headers = {k.lower(): v for k, v in r.json()["headers"]}
    forwarded = upstream_headers["authorization"]
    assert opaque not in forwarded
    claims = jwt.decode(forwarded.removeprefix("Bearer "), PHANTOM, algorithms=["HS256"])
    assert claims["sub"] == "bob"
    assert orjson.dumps(claims)


async def test_two_gateways_share_introspection_through_redis(
    make_gateway: Any, secured_spec: Path, issuer: Issuer, redis_url: str
) -> None:
    policies = {
        "authn_introspection": {
            "endpoint": issuer.introspection_url,
            "client_id": issuer.client_id,
            "client_secret": issuer.client_secret,
        },
        "authz": {},
        "threat": {"mode": "off"},
    }
    doc = {"spec": str(secured_spec), "state": redis_url, "policies": policies}
    first: Gateway = await make_gateway(doc)
    second: Gateway = await make_gateway(doc)
    token = issuer.issue_opaque(sub="frank", scope="read")
    before = issuer.hits["/introspect"]
    async with httpx.AsyncClient(timeout=10) as client:
        for gw in (first, second, first, second):
            r = await client.get(f"http://127.0.0.1:{gw.port}/items", headers=bearer(token))
            assert r.status_code == 200
    assert issuer.hits["/introspect"] - before == 1
