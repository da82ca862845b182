"""validate_request: parameters, content types, JSON schema and limits, XML, multipart, form bodies."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from apiward.core import ConfigError, HttpRequest
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import validate_request
from apiward.spec import ApiModel, load_document
from apiward.state import MemoryBackend

NODE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
    },
}
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "price"],
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "name": {"type": "string", "maxLength": 20, "pattern": "^[a-z ]+$"},
                    "price": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                    "tag": {"type": "string", "enum": ["a", "b"], "nullable": True},
                    "meta": {"type": "object", "properties": {"note": {"type": "string"}}},
                },
            },
            "Node": NODE,
        }
    },
    "paths": {
        "/items": {
            "get": {
                "operationId": "listItems",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
                    {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
                    {
                        "name": "X-Trace",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9a-f]{8}$"},
                    },
                    {"name": "session", "in": "cookie", "schema": {"type": "string", "minLength": 4}},
                ],
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "operationId": "createItem",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}},
                        "application/xml": {"schema": {"type": "object"}},
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": {"type": "string"}, "qty": {"type": "integer"}},
                            }
                        },
                    },
                },
                "responses": {"201": {"description": "created"}},
            },
        },
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/tree": {
            "post": {
                "operationId": "postTree",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}},
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/upload": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "title": {"type": "string"},
                                },
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}
MODEL: ApiModel = load_document(DOC, source="test.yaml")
TRACE = ("X-Trace", "0123abcd")


def policy(mode: Mode = Mode.ENFORCE, routes: dict[str, Any] | None = None, **options: Any) -> Any:
    ctx = PolicyContext(
        mode=mode, model=MODEL, state=MemoryBackend(), http=httpx.AsyncClient(), route_options=routes or {}
    )
    return validate_request.build(options, ctx)


def exchange(
    method: str, path: str, *, query: str = "", headers: tuple[tuple[str, str], ...] = (), body: bytes = b""
) -> Exchange:
    request = HttpRequest(method=method, path=path, query=query, headers=headers, body=body)
    match = MODEL.match(method, path)
    return Exchange(
        request=request,
        operation=match.operation if match else None,
        path_params=dict(match.path_params) if match else {},
    )


def json_post(body: str, path: str = "/items", ct: str = "application/json") -> Exchange:
    return exchange("POST", path, headers=(("Content-Type", ct),), body=body.encode())


ALLOWED = [
    exchange("GET", "/items", headers=(TRACE,)),
    exchange("GET", "/items", query="limit=10&sort=asc&ids=1,2,3", headers=(TRACE, ("Cookie", "session=abcd"))),
    exchange("GET", "/items", query="ids=1&ids=2", headers=(TRACE,)),
    exchange("GET", "/items/42"),
    json_post('{"name": "pen", "price": 1.5}'),
    json_post('{"name": "pen", "price": 1, "tag": null, "meta": {"note": "x", "extra": 1}}'),
    json_post('{"name": "pen", "price": 2}', ct="application/json; charset=utf-8"),
    json_post("<item><name>pen</name></item>", ct="application/xml"),
    json_post("name=pen&qty=3", ct="application/x-www-form-urlencoded"),
    json_post('{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}', path="/tree"),
    exchange("GET", "/unknown", query="anything=1"),
]


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize("ex", ALLOWED, ids=range(len(ALLOWED)))
async def test_valid_requests_pass(ex: Exchange, mode: Mode) -> None:
    assert await policy(mode).on_request(ex) is None


DENIED = [
    ("missing-required-header", exchange("GET", "/items"), 400, "GW-VAL-001"),
    ("header-pattern", exchange("GET", "/items", headers=(("X-Trace", "nope"),)), 400, "GW-VAL-001"),
    ("query-type", exchange("GET", "/items", query="limit=ten", headers=(TRACE,)), 400, "GW-VAL-001"),
    ("query-max", exchange("GET", "/items", query="limit=1000", headers=(TRACE,)), 400, "GW-VAL-001"),
    ("query-enum", exchange("GET", "/items", query="sort=up", headers=(TRACE,)), 400, "GW-VAL-001"),
    ("query-pollution", exchange("GET", "/items", query="sort=asc&sort=desc", headers=(TRACE,)), 400, "GW-VAL-001"),
    ("array-item-type", exchange("GET", "/items", query="ids=1,x", headers=(TRACE,)), 400, "GW-VAL-001"),
    ("cookie-short", exchange("GET", "/items", headers=(TRACE, ("Cookie", "session=ab"))), 400, "GW-VAL-001"),
    ("path-type", exchange("GET", "/items/abc"), 400, "GW-VAL-001"),
    ("body-missing", exchange("POST", "/items"), 400, "GW-VAL-007"),
    ("content-type", json_post("x", ct="text/plain"), 415, "GW-VAL-002"),
    ("no-content-type", exchange("POST", "/items", body=b"{}"), 415, "GW-VAL-002"),
    ("required-prop", json_post('{"name": "pen"}'), 400, "GW-VAL-003"),
    ("closed-object", json_post('{"name": "pen", "price": 1, "isAdmin": true}'), 400, "GW-VAL-003"),
    ("pattern", json_post('{"name": "PEN!", "price": 1}'), 400, "GW-VAL-003"),
    ("exclusive-min", json_post('{"name": "pen", "price": 0}'), 400, "GW-VAL-003"),
    ("enum", json_post('{"name": "pen", "price": 1, "tag": "c"}'), 400, "GW-VAL-003"),
    ("malformed-json", json_post('{"name": '), 400, "GW-VAL-008"),
    ("recursive-bad", json_post('{"children": [{"children": [{"name": 5}]}]}', path="/tree"), 400, "GW-VAL-003"),
    (
        "xxe",
        json_post(
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            ct="application/xml",
        ),
        400,
        "GW-VAL-005",
    ),
    (
        "billion-laughs",
        json_post('<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><l>&b;</l>', ct="application/xml"),
        400,
        "GW-VAL-005",
    ),
    ("malformed-xml", json_post("<a><b></a>", ct="application/xml"), 400, "GW-VAL-008"),
    ("form-type", json_post("name=pen&qty=many", ct="application/x-www-form-urlencoded"), 400, "GW-VAL-003"),
    ("form-required", json_post("qty=1", ct="application/x-www-form-urlencoded"), 400, "GW-VAL-003"),
]


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize(("case", "ex", "status", "rule"), DENIED, ids=[d[0] for d in DENIED])
async def test_invalid_requests_are_denied(case: str, ex: Exchange, status: int, rule: str, mode: Mode) -> None:
    deny = await policy(mode).on_request(ex)
    assert deny is not None, case
    assert (deny.status, deny.rule_id) == (status, rule), deny.detail


async def test_error_detail_names_the_field_without_the_value() -> None:
    deny = await policy().on_request(json_post('{"name": "pen", "price": "SECRET-VALUE"}'))
    assert deny is not None
    assert deny.detail is not None
    assert "body.price" in deny.detail
    assert "SECRET-VALUE" not in deny.detail


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize(
    ("body", "limit", "status"),
    [
        (nested(40), "depth", 400),
        (nested(5000), "depth", 400),
        ("[" + ",".join(["1"] * 20) + "]", "array", 400),
        ('{"s": "' + "x" * 200 + '"}', "string", 400),
        ("{" + ",".join(f'"k{i}": 1' for i in range(30)) + "}", "keys", 400),
        ('{"s": "' + "x" * 50_000 + '"}', "size", 413),
    ],
)
async def test_json_limits(body: str, limit: str, status: int) -> None:
    p = policy(json={"max_depth": 32, "max_array": 10, "max_string": 100, "max_keys": 20, "max_bytes": 40_000})
    deny = await p.on_request(json_post(body, path="/tree"))
    assert deny is not None
    assert (deny.status, deny.rule_id, deny.evidence["limit"]) == (status, "GW-VAL-004", limit)
    # on unknown routes too
    deny = await p.on_request(json_post(body, path="/nowhere"))
    assert deny is not None
    assert deny.rule_id == "GW-VAL-004"


async def test_strict_mode_closes_open_objects_and_query() -> None:
    open_body = json_post('{"name": "pen", "price": 1, "meta": {"note": "x", "extra": 1}}')
    assert await policy().on_request(open_body) is None
    deny = await policy(strict=True).on_request(open_body)
    assert deny is not None
    assert deny.rule_id == "GW-VAL-003"
    unknown_query = exchange("GET", "/items", query="debug=1", headers=(TRACE,))
    assert await policy().on_request(unknown_query) is None
    assert await policy(strict=True).on_request(unknown_query) is not None
    # per-route override
    assert await policy(routes={"listItems": {"strict": True}}).on_request(unknown_query) is not None


def multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "XyZ") -> Exchange:
    chunks = []
    for name, filename, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        chunks.append(f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    return exchange(
        "POST", "/upload", headers=(("Content-Type", f"multipart/form-data; boundary={boundary}"),), body=body
    )


async def test_multipart_allowed() -> None:
    p = policy(multipart={"max_parts": 3, "max_part_bytes": 100, "allowed_extensions": ["png", "txt"]})
    assert await p.on_request(multipart([("file", "a.png", b"x" * 50), ("title", None, b"t")])) is None


@pytest.mark.parametrize(
    ("parts", "limit"),
    [
        ([("file", "a.png", b"x")] * 4, "parts"),
        ([("file", "a.png", b"x" * 101)], "part_size"),
        ([("file", "../../etc/passwd", b"x")], "filename"),
        ([("file", "a.exe", b"x")], "filename"),
    ],
)
async def test_multipart_limits(parts: list[tuple[str, str | None, bytes]], limit: str) -> None:
    p = policy(multipart={"max_parts": 3, "max_part_bytes": 100, "allowed_extensions": ["png", "txt"]})
    deny = await p.on_request(multipart(parts))
    assert deny is not None
    assert (deny.rule_id, deny.evidence["limit"]) == ("GW-VAL-006", limit)


async def test_multipart_required_part() -> None:
    deny = await policy().on_request(multipart([("title", None, b"t")]))
    assert deny is not None
    assert deny.rule_id == "GW-VAL-003"


async def test_multipart_garbage_is_refused() -> None:
    ex = exchange("POST", "/upload", headers=(("Content-Type", "multipart/form-data; boundary=b"),), body=b"garbage")
    deny = await policy().on_request(ex)
    assert deny is not None
    assert deny.rule_id == "GW-VAL-006"


def test_needs_a_spec_and_valid_options() -> None:
    ctx = PolicyContext(mode=Mode.ENFORCE, model=None, state=MemoryBackend(), http=httpx.AsyncClient())
    with pytest.raises(ConfigError):
        validate_request.build({}, ctx)
    with pytest.raises(ConfigError) as info:
        policy(json={"max_depht": 3})
    assert info.value.pointer == "policies.validate_request.json.max_depht"
    assert "did you mean 'max_depth'?" in str(info.value)


async def test_strict_mode_refuses_read_only_properties() -> None:
    body = json_post('{"id": 7, "name": "pen", "price": 1}')
    assert await policy().on_request(body) is None  # readOnly tolerated by default
    deny = await policy(strict=True).on_request(json_post('{"id": 7, "name": "pen", "price": 1}'))
    assert deny is not None
    assert deny.rule_id == "GW-VAL-003"
    assert deny.detail is not None
    assert "body.id" in deny.detail


# -- nginx decision mode: the auth_request subrequest carries no body ------------------------------------
async def test_nginx_decision_mode_skips_body_checks_for_a_bodyless_subrequest() -> None:
    ex = exchange("POST", "/items")
    ex.notes["decision_mode"] = "nginx"
    assert await policy().on_request(ex) is None
    assert ex.notes["body_unchecked"] == "decision mode"


async def test_proxy_mode_still_requires_the_body() -> None:
    deny = await policy().on_request(exchange("POST", "/items"))
    assert deny is not None
    assert deny.rule_id == "GW-VAL-007"


async def test_nginx_decision_mode_still_checks_parameters() -> None:
    ex = exchange("GET", "/items/abc")
    ex.notes["decision_mode"] = "nginx"
    deny = await policy().on_request(ex)
    assert deny is not None
    assert deny.rule_id == "GW-VAL-001"


async def test_envoy_decision_mode_with_a_body_validates_it() -> None:
    ex = exchange("POST", "/items", headers=(("Content-Type", "application/json"),), body=b'{"name": 1}')
    ex.notes["decision_mode"] = "envoy"
    deny = await policy().on_request(ex)
    assert deny is not None
    assert deny.rule_id == "GW-VAL-003"
