# ruff: noqa: E501 - the case table keeps one case per line on purpose
"""Every audit rule fires on a description built to trigger it and stays quiet on a close variant that must not.

Cases start from ``clean()``: a small description that no rule may fire on. A case mutates a copy of it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from apiward.audit import audit, builtin_rules
from apiward.spec import load_document

Doc = dict[str, Any]
Mutation = Callable[[Doc], None]

ERRORS = {
    "401": {"description": "unauthenticated"},
    "403": {"description": "forbidden"},
    "429": {"description": "slow down"},
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


CLEAN = Path(__file__).with_name("clean-api.yaml")


def clean() -> Doc:
    """A fresh copy of ``clean-api.yaml``: small, realistic, and free of findings."""
    doc: Doc = yaml.safe_load(CLEAN.read_text(encoding="utf-8"))
    return doc


def op(
    doc: Doc,
    path: str,
    method: str = "get",
    *,
    op_id: str | None = None,
    responses: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Add (or replace) an operation that is clean apart from ``fields``."""
    operation = {
        "operationId": op_id or f"{method}{path.replace('/', '_').replace('{', '').replace('}', '')}",
        "responses": responses
        if responses is not None
        else {"200": {"description": "ok", "content": _json({"type": "object", "properties": {}})}, **ERRORS},
        **fields,
    }
    doc["paths"].setdefault(path, {})[method] = operation
    return operation


def scheme(doc: Doc, name: str, definition: dict[str, Any], *, use: bool = True) -> None:
    doc["components"]["securitySchemes"][name] = definition
    if use:
        doc["security"].append({name: []})


def item_prop(doc: Doc, name: str, schema: dict[str, Any]) -> None:
    doc["components"]["schemas"]["Item"]["properties"][name] = schema


def body(schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {"content": {media: {"schema": schema}}}


def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema}


def path_param(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


S = {"type": "string", "maxLength": 10}

CASES: dict[str, tuple[Mutation, Mutation]] = {
    "AUD-001": (
        lambda d: d.pop("security"),
        lambda d: op(d, "/health", security=[]),
    ),
    "AUD-002": (
        lambda d: (d.pop("security"), [o.update(security=[{"bearer": []}]) for p in d["paths"].values() for o in p.values()]),
        lambda d: None,
    ),
    "AUD-003": (
        lambda d: op(d, "/items/{itemId}/archive", "post", security=[], parameters=[path_param("itemId", {"type": "string", "format": "uuid"})]),
        lambda d: op(d, "/login", "post", security=[]),
    ),
    "AUD-004": (
        lambda d: d.update(security=[{}, {"bearer": []}]),
        lambda d: None,
    ),
    "AUD-005": (
        lambda d: scheme(d, "key", {"type": "apiKey", "in": "query", "name": "api_key"}),
        lambda d: scheme(d, "key", {"type": "apiKey", "in": "header", "name": "X-API-Key"}),
    ),
    "AUD-006": (
        lambda d: scheme(d, "basic", {"type": "http", "scheme": "basic"}),
        lambda d: None,
    ),
    "AUD-007": (
        lambda d: scheme(d, "digest", {"type": "http", "scheme": "digest"}),
        lambda d: scheme(d, "basic", {"type": "http", "scheme": "basic"}),
    ),
    "AUD-008": (
        lambda d: scheme(d, "o", {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a.io/auth", "scopes": {}}}}),
        lambda d: scheme(d, "o", {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a.io/auth", "tokenUrl": "https://a.io/token", "scopes": {}}}}),
    ),
    "AUD-009": (
        lambda d: scheme(d, "o", {"type": "oauth2", "flows": {"password": {"tokenUrl": "https://a.io/token", "scopes": {}}}}),
        lambda d: scheme(d, "o", {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.io/token", "scopes": {}}}}),
    ),
    "AUD-010": (
        lambda d: scheme(d, "o", {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "http://a.io/token", "scopes": {}}}}),
        lambda d: scheme(d, "o", {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.io/token", "scopes": {}}}}),
    ),
    "AUD-011": (
        lambda d: d["components"]["securitySchemes"]["bearer"].pop("bearerFormat"),
        lambda d: None,
    ),
    "AUD-012": (
        lambda d: op(d, "/me", parameters=[query("access_token", S)]),
        lambda d: op(d, "/me", parameters=[{"name": "X-Access-Token", "in": "header", "schema": S}]),
    ),
    "AUD-013": (
        lambda d: op(d, "/me", parameters=[query("password", S)]),
        lambda d: op(d, "/me", parameters=[query("passport_office", S)]),
    ),
    "AUD-014": (
        lambda d: scheme(d, "unused", {"type": "apiKey", "in": "header", "name": "X-Key"}, use=False),
        lambda d: scheme(d, "used", {"type": "apiKey", "in": "header", "name": "X-Key"}),
    ),
    "AUD-015": (
        lambda d: op(d, "/me", security=[{"ghost": []}]),
        lambda d: op(d, "/me", security=[{"bearer": []}]),
    ),
    "AUD-016": (
        lambda d: op(d, "/me", responses={"200": {"description": "ok", "content": _json({"type": "object"})}, "403": {"description": "x"}, "429": {"description": "x"}}),
        lambda d: op(d, "/me", responses={"200": {"description": "ok", "content": _json({"type": "object"})}, "4XX": {"description": "x"}}),
    ),
    "AUD-017": (
        lambda d: op(d, "/me", responses={"200": {"description": "ok", "content": _json({"type": "object"})}, "401": {"description": "x"}, "429": {"description": "x"}}),
        lambda d: op(d, "/health", security=[], responses={"200": {"description": "ok", "content": _json({"type": "object"})}, "429": {"description": "x"}}),
    ),
    "AUD-018": (
        lambda d: op(d, "/me", responses={"200": {"description": "ok", "content": _json({"type": "object"})}, "401": {"description": "x"}, "403": {"description": "x"}}),
        lambda d: op(d, "/me", responses={"200": {"description": "ok", "content": _json({"type": "object"})}, "default": {"description": "x"}}),
    ),
    "AUD-019": (
        lambda d: item_prop(d, "note", {"type": "string"}),
        lambda d: item_prop(d, "note", {"type": "string", "format": "date-time"}),
    ),
    "AUD-020": (
        lambda d: item_prop(d, "qty", {"type": "integer", "minimum": 1}),
        lambda d: item_prop(d, "qty", {"type": "integer", "readOnly": True}),
    ),
    "AUD-021": (
        lambda d: item_prop(d, "ids", {"type": "array", "items": {"type": "integer", "enum": [1, 2]}}),
        lambda d: item_prop(d, "ids", {"type": "array", "maxItems": 3, "items": {"type": "integer", "enum": [1, 2]}}),
    ),
    "AUD-022": (
        lambda d: d["components"]["schemas"]["Item"].pop("additionalProperties"),
        lambda d: item_prop(d, "labels", {"type": "object", "maxProperties": 5, "additionalProperties": S}),
    ),
    "AUD-023": (
        lambda d: item_prop(d, "password", S),
        lambda d: item_prop(d, "password", {**S, "writeOnly": True}),
    ),
    "AUD-024": (
        lambda d: item_prop(d, "isAdmin", {"type": "boolean"}),
        lambda d: item_prop(d, "isAdmin", {"type": "boolean", "readOnly": True}),
    ),
    "AUD-025": (
        lambda d: op(d, "/orders/{orderId}", parameters=[path_param("orderId", {"type": "integer", "minimum": 1, "maximum": 9})]),
        lambda d: op(d, "/reports/{year}", parameters=[path_param("year", {"type": "integer", "minimum": 1, "maximum": 9})]),
    ),
    "AUD-026": (
        lambda d: op(d, "/users/{userId}", parameters=[path_param("userId", S)]),
        lambda d: op(d, "/users/{userId}", parameters=[path_param("userId", {**S, "pattern": "^[a-z]{1,10}$"})]),
    ),
    "AUD-027": (
        lambda d: (op(d, "/v1/things"), op(d, "/v2/things")),
        lambda d: op(d, "/v2/things"),
    ),
    "AUD-028": (
        lambda d: op(d, "/old", deprecated=True),
        lambda d: op(d, "/old", deprecated=False),
    ),
    "AUD-029": (
        lambda d: d.update(servers=[{"url": "http://api.shop.io"}]),
        lambda d: d.update(servers=[{"url": "https://api.shop.io"}, {"url": "/relative"}]),
    ),
    "AUD-030": (
        lambda d: d.pop("servers"),
        lambda d: None,
    ),
    "AUD-031": (
        lambda d: d["servers"].append({"url": "https://10.0.0.5:8443"}),
        lambda d: d["servers"].append({"url": "https://eu.api.shop.io"}),
    ),
    "AUD-032": (
        lambda d: d["paths"]["/items"]["get"].pop("operationId"),
        lambda d: None,
    ),
    "AUD-033": (
        lambda d: op(d, "/other", op_id="listItems"),
        lambda d: op(d, "/other", op_id="listOthers"),
    ),
    "AUD-034": (
        lambda d: op(d, "/me", responses={"200": {"description": "ok"}, **ERRORS}),
        lambda d: op(d, "/me", "delete", responses={"204": {"description": "gone"}, **ERRORS}),
    ),
    "AUD-035": (
        lambda d: op(d, "/files", "post", requestBody=body({"type": "object", "additionalProperties": False, "properties": {"file": {"type": "string", "format": "binary"}}}, "multipart/form-data")),
        lambda d: op(d, "/files", "post", requestBody=body({"type": "object", "additionalProperties": False, "properties": {"file": {"type": "string", "format": "binary", "maxLength": 1000000}}}, "multipart/form-data")),
    ),
    "AUD-036": (
        lambda d: op(d, "/admin/users", "delete", security=[], responses={"204": {"description": "x"}, **ERRORS}),
        lambda d: op(d, "/admin/users", "delete", responses={"204": {"description": "x"}, **ERRORS}),
    ),
    "AUD-037": (
        lambda d: op(d, "/actuator/env", security=[]),
        lambda d: op(d, "/actuator/env"),
    ),
    "AUD-038": (
        lambda d: op(d, "/graphql", "post", security=[], requestBody=body({"type": "object", "additionalProperties": False, "properties": {"query": S}})),
        lambda d: op(d, "/graphql", "post", requestBody=body({"type": "object", "additionalProperties": False, "properties": {"query": S}})),
    ),
    "AUD-039": (
        lambda d: op(d, "/things", "post", requestBody={"content": {"application/json": {}}}),
        lambda d: op(d, "/things", "post", requestBody=body({"type": "object", "additionalProperties": False, "properties": {}})),
    ),
    "AUD-040": (
        lambda d: op(d, "/search", requestBody=body({"type": "object", "additionalProperties": False, "properties": {}})),
        lambda d: op(d, "/search", "post", requestBody=body({"type": "object", "additionalProperties": False, "properties": {}})),
    ),
    "AUD-041": (
        lambda d: item_prop(d, "callbackUrl", S),
        lambda d: item_prop(d, "callbackUrl", {"type": "string", "enum": ["https://hooks.shop.io/a"]}),
    ),
    "AUD-042": (
        lambda d: d["paths"]["/items"]["get"].pop("parameters"),
        lambda d: None,
    ),
    "AUD-043": (
        lambda d: op(d, "/me", responses={"200": {"description": "ok", "content": _json({"type": "object", "properties": {"stackTrace": S}})}, **ERRORS}),
        lambda d: op(d, "/me", responses={"200": {"description": "ok", "content": _json({"type": "object", "properties": {"detail": S}})}, **ERRORS}),
    ),
    "AUD-044": (
        lambda d: (scheme(d, "o", {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.io/t", "scopes": {"w": "write"}}}}, use=False), op(d, "/things", "post", security=[{"o": []}])),
        lambda d: (scheme(d, "o", {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.io/t", "scopes": {"w": "write"}}}}, use=False), op(d, "/things", "post", security=[{"o": ["w"]}])),
    ),
    "AUD-045": (
        lambda d: op(d, "/reset/{resetToken}", "post", parameters=[path_param("resetToken", S)]),
        lambda d: op(d, "/reset/{requestId}", "post", parameters=[path_param("requestId", {"type": "string", "format": "uuid"})]),
    ),
    "AUD-046": (
        lambda d: op(d, "/echo", "trace"),
        lambda d: op(d, "/echo", "options"),
    ),
    "AUD-047": (
        lambda d: item_prop(d, "password", {"type": "string", "maxLength": 64, "minLength": 4, "writeOnly": True}),
        lambda d: item_prop(d, "password", {"type": "string", "maxLength": 64, "minLength": 12, "writeOnly": True}),
    ),
    "AUD-048": (
        lambda d: op(d, "/things", parameters=[query("sort", {"type": "string", "maxLength": 20})]),
        lambda d: op(d, "/things", parameters=[query("sort", {"type": "array", "maxItems": 2, "items": {"type": "string", "enum": ["name", "-name"]}})]),
    ),
    "AUD-049": (
        lambda d: op(d, "/me", parameters=[{"name": "Authorization", "in": "header", "schema": S, "example": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}]),
        lambda d: op(d, "/me", parameters=[{"name": "Authorization", "in": "header", "schema": S, "example": "Bearer <your-token>"}]),
    ),
}  # fmt: skip


def _ids(mutation: Mutation | None, rule_id: str | None = None) -> set[str]:
    doc = clean()
    if mutation is not None:
        mutation(doc)
    model = load_document(copy.deepcopy(doc), source="case.yaml")
    only = (rule_id,) if rule_id else ()
    return {f.check_id for f in audit(model, only=only)}


def test_clean_description_has_no_findings() -> None:
    assert _ids(None) == set()


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(builtin_rules().ids())


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires(rule_id: str) -> None:
    assert _ids(CASES[rule_id][0], rule_id) == {rule_id}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_stays_quiet(rule_id: str) -> None:
    assert _ids(CASES[rule_id][1], rule_id) == set()


#: Near misses from real descriptions (GitHub, Stripe, Kubernetes) that once fired and must not.
NEAR_MISSES: list[tuple[str, Mutation]] = [
    ("AUD-023", lambda d: item_prop(d, "secret_type", S)),
    ("AUD-023", lambda d: item_prop(d, "has_password", {"type": "boolean"})),
    ("AUD-023", lambda d: item_prop(d, "card", {"type": "object", "properties": {}})),
    ("AUD-023", lambda d: item_prop(d, "secret", {"type": "string", "enum": ["on", "off"]})),
    ("AUD-023", lambda d: item_prop(d, "classname", S)),
    ("AUD-013", lambda d: op(d, "/alerts", parameters=[query("hide_secret", {"type": "boolean"})])),
    ("AUD-041", lambda d: op(d, "/moves", parameters=[query("source", S)])),
    ("AUD-027", lambda d: (op(d, "/apis/apps/v1/x"), op(d, "/apis/autoscaling/v2/y"))),
    ("AUD-043", lambda d: item_prop(d, "stack", S)),
    (
        "AUD-047",
        lambda d: op(
            d,
            "/login",
            "post",
            requestBody=body({"type": "object", "additionalProperties": False, "properties": {"password": S}}),
        ),
    ),
]


@pytest.mark.parametrize(("rule_id", "mutation"), NEAR_MISSES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(NEAR_MISSES)])
def test_near_misses_stay_quiet(rule_id: str, mutation: Mutation) -> None:
    assert _ids(mutation, rule_id) == set()


def test_embedded_credentials_are_reported_without_the_secret() -> None:
    doc = clean()
    doc["servers"].append({"url": "http://admin:hunter2hunter2@api.shop.io"})
    secret = "ghp_" + "a1B2c3D4" * 5
    op(doc, "/me", parameters=[{"name": "X-Token", "in": "header", "schema": S, "example": secret}])
    findings = audit(load_document(doc, source="s.yaml"))
    assert {"AUD-049", "AUD-029"} <= {f.check_id for f in findings}
    dumped = repr([f.to_dict() for f in findings])
    assert "hunter2" not in dumped
    assert secret not in dumped


def test_boolean_exclusive_bound_alone_is_not_a_bound() -> None:
    assert _ids(
        lambda d: item_prop(d, "qty", {"type": "number", "minimum": 0, "exclusiveMaximum": True}), "AUD-020"
    ) == {"AUD-020"}
