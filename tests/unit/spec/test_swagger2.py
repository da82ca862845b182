"""Swagger 2.0 specifics: body/formData -> request body, servers, collectionFormat, securityDefinitions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apiward.spec import ParamLocation, load


def _doc(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}}
    doc.update(extra)
    return doc


def test_body_parameter_becomes_request_body_per_consumes(write: Callable[..., Path]) -> None:
    spec = _doc(
        consumes=["application/json", "text/xml"],
        definitions={"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
        paths={
            "/pets": {
                "get": {
                    "produces": ["text/csv"],
                    "responses": {
                        "200": {"description": "all", "schema": {"type": "string"}, "examples": {"text/csv": "a,b"}}
                    },
                },
                "post": {
                    "parameters": [
                        {"name": "pet", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Pet"}},
                        {"name": "dry", "in": "query", "type": "boolean"},
                    ],
                    "responses": {"201": {"description": "made", "schema": {"$ref": "#/definitions/Pet"}}},
                },
            }
        },
    )
    model = load(write("s.yaml", spec))
    get, op = model.operations
    assert list(get.responses["200"].content) == ["text/csv"]
    assert get.responses["200"].content["text/csv"].examples == ("a,b",)
    assert get.request_body is None
    assert [p.name for p in op.parameters] == ["dry"]
    assert op.request_body is not None
    assert op.request_body.required
    assert set(op.request_body.content) == {"application/json", "text/xml"}
    assert op.request_body.content["text/xml"].schema is model.schemas["Pet"]
    assert set(op.responses["201"].content) == {"application/json"}  # default produces


def test_form_data_with_a_file_is_multipart(write: Callable[..., Path]) -> None:
    spec = _doc(
        paths={
            "/upload": {
                "post": {
                    "parameters": [
                        {"name": "file", "in": "formData", "type": "file", "required": True},
                        {"name": "note", "in": "formData", "type": "string", "maxLength": 20},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/login": {
                "post": {
                    "parameters": [{"name": "user", "in": "formData", "type": "string"}],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        }
    )
    model = load(write("s.json", json.dumps(spec)))
    upload, login = model.operations
    assert upload.request_body is not None
    (media,) = upload.request_body.content.values()
    assert media.media_type == "multipart/form-data"
    assert media.schema == {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string", "maxLength": 20}},
        "required": ["file"],
    }
    assert upload.request_body.required
    assert login.request_body is not None
    assert list(login.request_body.content) == ["application/x-www-form-urlencoded"]


def test_servers_from_host_base_path_and_schemes(write: Callable[..., Path]) -> None:
    model = load(write("a.yaml", _doc(host="api.example.com:8443", basePath="/v2", schemes=["https", "http"])))
    assert [s.url for s in model.servers] == ["https://api.example.com:8443/v2", "http://api.example.com:8443/v2"]
    assert [s.url for s in load(write("b.yaml", _doc(basePath="/api"))).servers] == ["/api"]
    assert [s.url for s in load(write("c.yaml", _doc(host="x.io"))).servers] == ["https://x.io"]
    ws = _doc(host="x.io", basePath="/rt", paths={"/feed": {"get": {"schemes": ["wss"], "responses": {}}}})
    (op,) = load(write("d.yaml", ws)).operations
    assert [s.url for s in op.servers] == ["wss://x.io/rt"]


def test_parameters_collection_formats_and_path_level_merge(write: Callable[..., Path]) -> None:
    spec = _doc(
        parameters={"Id": {"name": "id", "in": "path", "required": True, "type": "integer", "minimum": 1}},
        paths={
            "/items/{id}": {
                "parameters": [
                    {"$ref": "#/parameters/Id"},
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}},
                ],
                "get": {
                    "parameters": [
                        {
                            "name": "tags",
                            "in": "query",
                            "type": "array",
                            "items": {"type": "string"},
                            "collectionFormat": "multi",
                        },
                        {"name": "X-Trace", "in": "header", "type": "string", "x-example": "abc"},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"X-Rate-Limit": {"type": "integer", "format": "int32"}},
                        }
                    },
                },
            }
        },
    )
    (op,) = load(write("s.yaml", spec)).operations
    by_name = {p.name: p for p in op.parameters}
    assert [p.name for p in op.parameters] == ["id", "tags", "X-Trace"]
    assert by_name["id"].schema == {"type": "integer", "minimum": 1}
    assert by_name["id"].pointer == "/paths/~1items~1{id}/parameters/0"
    assert (by_name["tags"].style, by_name["tags"].explode) == ("form", True)  # the operation's one won
    assert by_name["tags"].pointer == "/paths/~1items~1{id}/get/parameters/0"
    assert by_name["X-Trace"].location is ParamLocation.HEADER
    assert by_name["X-Trace"].examples == ("abc",)
    header = op.responses["200"].headers["X-Rate-Limit"]
    assert header.schema == {"type": "integer", "format": "int32"}


def test_security_definitions(write: Callable[..., Path]) -> None:
    spec = _doc(
        securityDefinitions={
            "basic": {"type": "basic"},
            "key": {"type": "apiKey", "in": "query", "name": "api_key"},
            "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token", "scopes": {"r": "read"}},
            "code": {
                "type": "oauth2",
                "flow": "accessCode",
                "authorizationUrl": "https://a/auth",
                "tokenUrl": "https://a/token",
                "scopes": {},
            },
            "pw": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token", "scopes": {}},
        },
        security=[{"basic": []}],
        paths={
            "/a": {
                "get": {"responses": {"200": {"description": "ok"}}},
                "post": {"security": [], "responses": {"200": {"description": "ok"}}},
                "put": {"security": [{"key": []}, {"app": ["r"]}], "responses": {"200": {"description": "ok"}}},
            }
        },
    )
    model = load(write("s.yaml", spec))
    schemes = model.security_schemes
    assert (schemes["basic"].type, schemes["basic"].scheme) == ("http", "basic")
    assert (schemes["key"].type, schemes["key"].location, schemes["key"].param_name) == ("apiKey", "query", "api_key")
    assert list(schemes["app"].flows) == ["clientCredentials"]
    assert schemes["app"].flows["clientCredentials"].scopes == {"r": "read"}
    assert list(schemes["code"].flows) == ["authorizationCode"]
    assert list(schemes["pw"].flows) == ["password"]
    get, put, post = model.operations  # listed in the order get, put, post, delete, ...
    assert ([dict(r) for r in get.security], get.security_declared) == ([{"basic": ()}], False)
    assert (post.security, post.security_declared, post.requires_auth) == ((), True, False)
    assert [dict(r) for r in put.security] == [{"key": ()}, {"app": ("r",)}]
