"""authz: OR-of-AND security requirements from the spec, config overrides, 401 vs 403 challenges."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import httpx
import pytest

from apiward.core import ConfigError, HttpRequest, Identity
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import authz
from apiward.spec import ApiModel, ApiOperation, SecurityScheme
from apiward.state import MemoryBackend

SCHEMES = {
    "oauth": SecurityScheme(name="oauth", type="oauth2"),
    "key": SecurityScheme(name="key", type="apiKey", location="header", param_name="X-API-Key"),
    "basic": SecurityScheme(name="basic", type="http", scheme="basic"),
}
OPS = (
    ApiOperation(method="GET", path="/items", operation_id="listItems", security=({"oauth": ("read",)},)),
    ApiOperation(
        method="POST", path="/items", operation_id="createItem", security=({"oauth": ("write",)}, {"key": ()})
    ),
    ApiOperation(method="GET", path="/health", operation_id="health", security=(), security_declared=True),
    ApiOperation(method="GET", path="/public", operation_id="public", security=({}, {"oauth": ("read",)})),
    ApiOperation(method="GET", path="/both", operation_id="both", security=({"oauth": ("read",), "key": ()},)),
    ApiOperation(method="DELETE", path="/items/{id}", security=({"oauth": ("admin", "write")},)),
    ApiOperation(method="GET", path="/reports", operation_id="reports", security=({"oauth": ()},)),
    ApiOperation(method="GET", path="/basic", operation_id="basicOnly", security=({"basic": ()},)),
)
MODEL = ApiModel(title="t", version="1", source="mem", spec_version="3.1.0", operations=OPS, security_schemes=SCHEMES)


def policy(
    mode: Mode = Mode.ENFORCE, routes: dict[str, Any] | None = None, model: ApiModel | None = MODEL, **o: Any
) -> Any:
    ctx = PolicyContext(
        mode=mode, model=model, state=MemoryBackend(), http=httpx.AsyncClient(), route_options=routes or {}
    )
    return authz.build(o, ctx)


def jwt_identity(*scopes: str, roles: tuple[str, ...] = (), **claims: Any) -> Identity:
    return Identity(
        subject="alice", kind="jwt", scopes=frozenset(scopes), roles=frozenset(roles), claims=MappingProxyType(claims)
    )


KEY_ID = Identity(subject="svc", kind="api_key")


def exchange(op_id: str | None, *identities: Identity, schemes: set[str] | None = None) -> Exchange:
    op = MODEL.operation(op_id) if op_id else None
    ex = Exchange(request=HttpRequest(method=op.method if op else "GET", path="/x"), operation=op)
    for ident in identities:
        ex.notes.setdefault("authn", {})[ident.kind] = ident
        ex.identity = ex.identity or ident
    if schemes is not None:
        ex.notes["authn_schemes"] = schemes
    return ex


ALLOW = [
    ("listItems", [jwt_identity("read")]),
    ("listItems", [jwt_identity("read", "write")]),
    ("createItem", [jwt_identity("write")]),
    ("createItem", [KEY_ID]),
    ("health", []),
    ("public", []),
    ("public", [jwt_identity("read")]),
    ("both", [jwt_identity("read"), KEY_ID]),
    ("DELETE /items/{id}", [jwt_identity("admin", "write")]),
    ("reports", [jwt_identity()]),
]

DENY = [
    ("listItems", [], 401, "GW-AUTHZ-001"),
    ("listItems", [KEY_ID], 401, "GW-AUTHZ-001"),  # an API key is not what this operation accepts
    ("listItems", [jwt_identity("write")], 403, "GW-AUTHZ-002"),
    ("createItem", [jwt_identity("read")], 403, "GW-AUTHZ-002"),
    ("both", [jwt_identity("read")], 401, "GW-AUTHZ-001"),
    ("both", [KEY_ID], 401, "GW-AUTHZ-001"),
    ("both", [jwt_identity(), KEY_ID], 403, "GW-AUTHZ-002"),
    ("DELETE /items/{id}", [jwt_identity("write")], 403, "GW-AUTHZ-002"),
    ("basicOnly", [jwt_identity("read")], 401, "GW-AUTHZ-001"),
    (None, [], 401, "GW-AUTHZ-001"),
]


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize(("op", "identities"), ALLOW)
async def test_allowed(op: str, identities: list[Identity], mode: Mode) -> None:
    assert await policy(mode).on_request(exchange(op, *identities)) is None


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize(("op", "identities", "status", "rule"), DENY)
async def test_denied(op: str | None, identities: list[Identity], status: int, rule: str, mode: Mode) -> None:
    deny = await policy(mode).on_request(exchange(op, *identities))
    assert deny is not None
    assert (deny.status, deny.rule_id) == (status, rule)
    challenge = deny.headers.get("WWW-Authenticate", "")
    if status == 401:
        assert "error=" not in challenge
        assert challenge.startswith(("Bearer realm=", "ApiKey realm=", "Basic realm="))


async def test_unclaimed_bearer_token_is_invalid_token() -> None:
    ex = exchange("listItems")
    ex.notes["bearer_unclaimed"] = True
    deny = await policy().on_request(ex)
    assert deny is not None
    assert deny.status == 401
    assert deny.headers["WWW-Authenticate"].startswith('Bearer realm="apiward", error="invalid_token"')


async def test_insufficient_scope_challenge_names_the_scopes() -> None:
    deny = await policy().on_request(exchange("DELETE /items/{id}", jwt_identity("write")))
    assert deny is not None
    assert deny.headers["WWW-Authenticate"] == (
        'Bearer realm="apiward", error="insufficient_scope", '
        'error_description="the access token lacks a required scope", scope="admin write"'
    )


async def test_api_key_from_another_scheme_does_not_count() -> None:
    assert await policy().on_request(exchange("createItem", KEY_ID, schemes={"key"})) is None
    deny = await policy().on_request(exchange("createItem", KEY_ID, schemes={"otherKey"}))
    assert deny is not None
    assert deny.status == 401


async def test_config_override_with_roles_and_claims() -> None:
    routes = {"listItems": {"requirements": [{"roles": ["auditor"]}, {"claims": {"org.tier": ["gold", "platinum"]}}]}}
    p = policy(routes=routes)
    assert await p.on_request(exchange("listItems", jwt_identity(roles=("auditor",)))) is None
    assert await p.on_request(exchange("listItems", jwt_identity(org={"tier": "gold"}))) is None
    deny = await p.on_request(exchange("listItems", jwt_identity("read", org={"tier": "free"})))
    assert deny is not None
    assert (deny.status, deny.rule_id) == (403, "GW-AUTHZ-003")
    deny = await p.on_request(exchange("listItems"))
    assert deny is not None
    assert deny.status == 401


async def test_config_can_open_a_route_or_close_an_open_one() -> None:
    p = policy(routes={"listItems": {"anonymous": True}, "health": {"requirements": [{"scopes": ["ops"]}]}})
    assert await p.on_request(exchange("listItems")) is None
    deny = await p.on_request(exchange("health"))
    assert deny is not None
    assert deny.status == 401
    assert await p.on_request(exchange("health", jwt_identity("ops"))) is None


async def test_kinds_restrict_credentials() -> None:
    p = policy(routes={"reports": {"requirements": [{"kinds": ["api_key"]}]}})
    assert await p.on_request(exchange("reports", KEY_ID)) is None
    deny = await p.on_request(exchange("reports", jwt_identity("read")))
    assert deny is not None
    assert deny.status == 401


async def test_unknown_routes_and_no_spec() -> None:
    assert await policy(unknown_routes="anonymous").on_request(exchange(None)) is None
    assert await policy(model=None).on_request(exchange(None)) is not None
    assert await policy(model=None).on_request(exchange(None, jwt_identity())) is None
    assert await policy(model=None, without_spec="anonymous").on_request(exchange(None)) is None


@pytest.mark.parametrize(
    ("kwargs", "pointer"),
    [
        ({"unknown_routes": "open"}, "policies.authz.unknown_routes"),
        ({"routes": {"listItems": {"requirements": [{}]}}}, "policies.authz.routes[listItems].requirements[0]"),
        (
            {"routes": {"listItems": {"requirements": [{"role": ["x"]}]}}},
            "policies.authz.routes[listItems].requirements[0].role",
        ),
    ],
)
def test_bad_options(kwargs: dict[str, Any], pointer: str) -> None:
    with pytest.raises(ConfigError) as info:
        policy(**kwargs)
    assert info.value.pointer == pointer


async def test_cors_preflights_pass_without_credentials() -> None:
    headers = (("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "GET"))
    ex = Exchange(request=HttpRequest(method="OPTIONS", path="/items", headers=headers))
    assert await policy().on_request(ex) is None
    plain = Exchange(request=HttpRequest(method="OPTIONS", path="/items", headers=headers[:1]))
    assert await policy().on_request(plain) is not None
