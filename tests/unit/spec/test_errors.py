"""Every kind of invalid description gives ONE clear error: ``file: /json/pointer: message``."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apiward.core import SpecError
from apiward.spec import load

OK3: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "T", "version": "1"},
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
    "paths": {
        "/users/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"201": {"description": "made"}},
            },
        }
    },
}
OK2: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/users/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}
GET = ["paths", "/users/{id}", "get"]
POST = ["paths", "/users/{id}", "post"]
DROP = object()


def _edit(base: dict[str, Any], where: list[Any], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    node = doc
    for key in where[:-1]:
        node = node[key]
    if value is DROP:
        del node[where[-1]]
    else:
        node[where[-1]] = value
    return doc


CASES: list[tuple[str, dict[str, Any], str]] = [
    (
        "no version",
        _edit(OK3, ["openapi"], DROP),
        "/: not an OpenAPI description: 'openapi' (or 'swagger' for 2.0) is required",
    ),
    (
        "bad version",
        _edit(OK3, ["openapi"], "4.0.0"),
        "/openapi: unsupported OpenAPI version '4.0.0' (expected 3.0.x or 3.1.x)",
    ),
    ("bad swagger", _edit(OK2, ["swagger"], "1.2"), "/swagger: unsupported Swagger version '1.2' (expected '2.0')"),
    ("no info", _edit(OK3, ["info"], DROP), "/: 'info' is required"),
    ("no title", _edit(OK3, ["info", "title"], DROP), "/info: 'title' is required"),
    ("title type", _edit(OK3, ["info", "title"], ["x"]), "/info/title: 'title' must be a string, not a list"),
    ("no paths 3.0", _edit(OK3, ["paths"], DROP), "/: 'paths' is required"),
    ("paths type", _edit(OK3, ["paths"], []), "/paths: 'paths' must be an object, not a list"),
    ("bad path", _edit(OK3, ["paths", "users"], {}), "/paths/users: a path must start with '/', not 'users'"),
    (
        "unbalanced",
        _edit(OK3, ["paths", "/a/{id"], {}),
        "/paths/~1a~1{id: path template '/a/{id' has an unbalanced, nested or empty '{...}'",
    ),
    (
        "empty param",
        _edit(OK3, ["paths", "/a/{}"], {}),
        "/paths/~1a~1{}: path template '/a/{}' has an unbalanced, nested or empty '{...}'",
    ),
    ("path item type", _edit(OK3, ["paths", "/x"], 3), "/paths/~1x: a path item must be an object, not a number"),
    ("operation type", _edit(OK3, GET, []), "/paths/~1users~1{id}/get: an operation must be an object, not a list"),
    (
        "param no in",
        _edit(OK3, [*GET, "parameters", 0, "in"], DROP),
        "/paths/~1users~1{id}/get/parameters/0: 'in' is required",
    ),
    (
        "param bad in",
        _edit(OK3, [*GET, "parameters", 0, "in"], "body"),
        "/paths/~1users~1{id}/get/parameters/0/in: 'in' must be one of path, query, header, cookie, not 'body'",
    ),
    (
        "param typo",
        _edit(OK3, [*GET, "parameters", 0, "in"], "Query"),
        "/paths/~1users~1{id}/get/parameters/0/in: "
        "'in' must be one of path, query, header, cookie, not 'Query' (did you mean 'query'?)",
    ),
    (
        "param no name",
        _edit(OK3, [*GET, "parameters", 0, "name"], DROP),
        "/paths/~1users~1{id}/get/parameters/0: 'name' is required",
    ),
    (
        "param type",
        _edit(OK3, [*GET, "parameters", 0], "id"),
        "/paths/~1users~1{id}/get/parameters/0: a parameter must be an object, not a string",
    ),
    (
        "params type",
        _edit(OK3, [*GET, "parameters"], {}),
        "/paths/~1users~1{id}/get/parameters: 'parameters' must be a list, not an object",
    ),
    (
        "schema type",
        _edit(OK3, [*GET, "parameters", 0, "schema"], 5),
        "/paths/~1users~1{id}/get/parameters/0/schema: a schema must be an object, not a number",
    ),
    (
        "explode type",
        _edit(OK3, [*GET, "parameters", 0, "explode"], "yes"),
        "/paths/~1users~1{id}/get/parameters/0/explode: 'explode' must be true or false, not a string",
    ),
    (
        "deprecated type",
        _edit(OK3, [*GET, "deprecated"], "yes"),
        "/paths/~1users~1{id}/get/deprecated: 'deprecated' must be true or false, not a string",
    ),
    (
        "tag type",
        _edit(OK3, [*GET, "tags"], ["a", 1]),
        "/paths/~1users~1{id}/get/tags/1: a tag must be a string, not a number",
    ),
    (
        "status",
        _edit(OK3, [*GET, "responses", "2000"], {"description": "x"}),
        "/paths/~1users~1{id}/get/responses/2000: "
        "response status must be 'default', a 3-digit code or like '4XX', not '2000'",
    ),
    (
        "response type",
        _edit(OK3, [*GET, "responses", "200"], "ok"),
        "/paths/~1users~1{id}/get/responses/200: a response must be an object, not a string",
    ),
    (
        "body no content",
        _edit(OK3, [*POST, "requestBody", "content"], DROP),
        "/paths/~1users~1{id}/post/requestBody: 'content' is required",
    ),
    (
        "media type",
        _edit(OK3, [*POST, "requestBody", "content", "application/json"], []),
        "/paths/~1users~1{id}/post/requestBody/content/application~1json: a media type must be an object, not a list",
    ),
    ("security type", _edit(OK3, ["security"], {"key": []}), "/security: 'security' must be a list, not an object"),
    (
        "requirement type",
        _edit(OK3, ["security"], ["key"]),
        "/security/0: a security requirement must be an object, not a string",
    ),
    (
        "scopes type",
        _edit(OK3, ["security"], [{"key": "all"}]),
        "/security/0/key: the scopes of 'key' must be a list of strings",
    ),
    (
        "scheme type",
        _edit(OK3, ["components", "securitySchemes", "key", "type"], "magic"),
        "/components/securitySchemes/key/type: "
        "'type' must be one of apiKey, http, oauth2, openIdConnect, mutualTLS, not 'magic'",
    ),
    (
        "apiKey name",
        _edit(OK3, ["components", "securitySchemes", "key", "name"], DROP),
        "/components/securitySchemes/key: 'name' is required",
    ),
    (
        "apiKey in",
        _edit(OK3, ["components", "securitySchemes", "key", "in"], "body"),
        "/components/securitySchemes/key/in: 'in' must be one of query, header, cookie, not 'body'",
    ),
    (
        "http scheme",
        _edit(OK3, ["components", "securitySchemes", "key"], {"type": "http"}),
        "/components/securitySchemes/key: 'scheme' is required",
    ),
    (
        "oauth2 flows",
        _edit(OK3, ["components", "securitySchemes", "key"], {"type": "oauth2"}),
        "/components/securitySchemes/key: 'flows' is required",
    ),
    (
        "oauth2 flow kind",
        _edit(OK3, ["components", "securitySchemes", "key"], {"type": "oauth2", "flows": {"magic": {}}}),
        "/components/securitySchemes/key/flows/magic: unknown OAuth2 flow 'magic' "
        "(expected one of implicit, password, clientCredentials, authorizationCode)",
    ),
    (
        "oidc url",
        _edit(OK3, ["components", "securitySchemes", "key"], {"type": "openIdConnect"}),
        "/components/securitySchemes/key: 'openIdConnectUrl' is required",
    ),
    ("server url", _edit(OK3, ["servers"], [{"description": "x"}]), "/servers/0: 'url' is required"),
    # Swagger 2.0
    (
        "2.0 no type",
        _edit(OK2, [*GET, "parameters", 0, "type"], DROP),
        "/paths/~1users~1{id}/get/parameters/0: 'type' is required (or 'schema' for a body parameter)",
    ),
    (
        "2.0 bad in",
        _edit(OK2, [*GET, "parameters", 0, "in"], "cookie"),
        "/paths/~1users~1{id}/get/parameters/0/in: "
        "'in' must be one of path, query, header, body, formData, not 'cookie'",
    ),
    (
        "2.0 body no schema",
        _edit(OK2, [*GET, "parameters", 0], {"name": "b", "in": "body"}),
        "/paths/~1users~1{id}/get/parameters/0: 'schema' is required for a body parameter",
    ),
    ("2.0 no responses", _edit(OK2, [*GET, "responses"], DROP), "/paths/~1users~1{id}/get: 'responses' is required"),
    ("2.0 basePath", _edit(OK2, ["basePath"], "v1"), "/basePath: 'basePath' must start with '/', not 'v1'"),
    (
        "2.0 scheme",
        _edit(OK2 | {"host": "h"}, ["schemes"], ["ftp"]),
        "/schemes/0: a scheme must be one of http, https, ws, wss, not 'ftp'",
    ),
    (
        "2.0 oauth2 token url",
        _edit(OK2, ["securityDefinitions"], {"o": {"type": "oauth2", "flow": "password", "scopes": {}}}),
        "/securityDefinitions/o: 'tokenUrl' is required for the 'password' flow",
    ),
    (
        "2.0 oauth2 flow",
        _edit(OK2, ["securityDefinitions"], {"o": {"type": "oauth2", "flow": "magic"}}),
        "/securityDefinitions/o/flow: 'flow' must be one of implicit, password, application, accessCode, not 'magic'",
    ),
]


@pytest.mark.parametrize(("doc", "message"), [(d, m) for _, d, m in CASES], ids=[c[0] for c in CASES])
def test_invalid_document_names_file_and_pointer(
    doc: dict[str, Any], message: str, write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write("spec.yaml", doc).parent)
    with pytest.raises(SpecError) as caught:
        load("spec.yaml")
    assert str(caught.value) == f"spec.yaml: {message}"
    assert caught.value.source == "spec.yaml"


def test_the_valid_bases_load(write: Callable[..., Path]) -> None:
    assert len(load(write("a.yaml", OK3)).operations) == 2
    assert len(load(write("b.yaml", OK2)).operations) == 1


def test_openapi_31_may_omit_paths(write: Callable[..., Path]) -> None:
    model = load(write("a.yaml", _edit(_edit(OK3, ["openapi"], "3.1.0"), ["paths"], DROP)))
    assert model.operations == ()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.yaml", "openapi: 3.0.0\ninfo:\n  title: [unclosed\n", "bad.yaml: invalid YAML at line 4, column 1: "),
        ("bad.yaml", "openapi: 3.0.0\n\tinfo: {}\n", "bad.yaml: invalid YAML at line 2, column 1: "),
        ("bad.json", '{"openapi": "3.0.0",\n "info": {,}}', "bad.json: invalid JSON at line 2, column 11: "),
        ("bad.json", b'{"openapi": "\xff"}', "bad.json: not UTF-8 text (invalid byte at offset 13)"),
        ("empty.yaml", "", "empty.yaml: /: an API description must be an object, not null"),
        ("list.yaml", "- a\n- b\n", "list.yaml: /: an API description must be an object, not a list"),
        ("gz.json.gz", b"\x1f\x8bnot really gzip", "gz.json.gz: corrupt gzip data"),
    ],
)
def test_syntax_errors_name_line_and_column(
    name: str, content: str | bytes, message: str, write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write(name, content).parent)
    with pytest.raises(SpecError) as caught:
        load(name)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SpecError, match=r"^nope\.yaml: file not found$"):
        load("nope.yaml")
    with pytest.raises(SpecError, match=r"^\.: is a directory, not a file$"):
        load(".")
    with pytest.raises(SpecError, match=r"^/dev/zero: is not a regular file$"):
        load("/dev/zero")


def test_yaml_dates_and_numbers_are_read_as_text(write: Callable[..., Path]) -> None:
    path = write("a.yaml", "openapi: 3.0.3\ninfo: {title: 2, version: 2024-01-31}\npaths: {}\n")
    model = load(path)
    assert (model.title, model.version) == ("2", "2024-01-31")


def test_yaml_alias_bomb_is_refused(write: Callable[..., Path]) -> None:
    lines = [
        "openapi: 3.0.3",
        "info: {title: T, version: '1'}",
        "paths: {}",
        "x-bomb:",
        "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]",
    ]
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(SpecError, match=r"YAML aliases expand to more than 20,000,000 nodes"):
        load(write("bomb.yaml", "\n".join(lines) + "\n"))


def test_yaml_aliases_are_shared_not_copied(write: Callable[..., Path]) -> None:
    text = """openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    A: &shape {type: object, properties: {n: {type: array, items: [1, 2]}}}
    B: *shape
"""
    model = load(write("alias.yaml", text))
    assert model.schemas["A"] is model.schemas["B"]
    assert model.schemas["A"]["properties"]["n"]["type"] == "array"


def test_strict_mode_checks_the_official_meta_schema(write: Callable[..., Path], fixtures: Path) -> None:
    for name in ("petstore-2.0.json", "petstore-3.0.yaml", "petstore-3.1.yaml", "webhooks-3.1.json"):
        assert load(fixtures / name, strict=True).title
    doc = _edit(OK3, [*GET, "responses", "200"], {"content": {}})  # 3.0 requires a response description
    lenient = load(write("lenient.yaml", doc))
    assert lenient.operations[0].responses["200"].description is None
    path = write("strict.yaml", doc)
    with pytest.raises(SpecError) as caught:
        load(path, strict=True)
    assert str(caught.value) == (
        f"{path}: /paths/~1users~1{{id}}/get/responses/200: "
        "does not match the OpenAPI meta-schema (required): 'description' is a required property"
    )
    doc2 = _edit(OK2, ["paths", "/users/{id}", "get", "bogus"], 1)  # 2.0 forbids unknown keywords
    with pytest.raises(SpecError, match=r"/paths/~1users~1\{id\}/get: does not match the OpenAPI meta-schema"):
        load(write("strict2.yaml", doc2), strict=True)


def test_control_characters_are_escaped_so_errors_stay_one_line(write: Callable[..., Path]) -> None:
    doc = _edit(OK3, ["paths", "/a\nb"], {"get": {"parameters": [{"name": "q"}]}})
    with pytest.raises(SpecError) as caught:
        load(write("nl.yaml", doc))
    assert str(caught.value).endswith(": /paths/~1a\\nb/get/parameters/0: 'in' is required")
    assert "\n" not in str(caught.value)


def test_yaml_12_booleans(write: Callable[..., Path]) -> None:
    text = """openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Switch:
      type: object
      properties:
        on: {type: string, enum: [yes, no, y, n, off]}
        flag: {type: boolean, default: true}
        1.10: {type: integer}
        404: {type: integer}
"""
    model = load(write("yaml12.yaml", text))
    props = model.schemas["Switch"]["properties"]
    assert list(props) == ["on", "flag", "1.10", "404"]  # keys are text, exactly as written
    assert props["on"]["enum"] == ["yes", "no", "y", "n", "off"]
    assert props["flag"]["default"] is True
    import yaml

    assert yaml.safe_load("a: on") == {"a": True}  # PyYAML's own loaders are left as they are
