"""``$ref``s: local chains, cross-file (relative to the referring file), recursive schemas, 3.1 siblings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apiward.core import SpecError
from apiward.spec import load, load_document, walk_schema


def _doc(
    paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None, version: str = "3.0.3"
) -> dict[str, Any]:
    doc: dict[str, Any] = {"openapi": version, "info": {"title": "T", "version": "1"}, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def _get(schema_ref: str) -> dict[str, Any]:
    return {
        "get": {
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": schema_ref}}}}
            }
        }
    }


def test_cross_file_refs_resolve_relative_to_the_referring_file(write: Callable[..., Path]) -> None:
    write("schemas/common.yaml", {"Id": {"type": "integer", "minimum": 1}})
    write(
        "schemas/pet.yaml",
        {"Pet": {"type": "object", "properties": {"id": {"$ref": "common.yaml#/Id"}, "name": {"type": "string"}}}},
    )
    write("schemas/tag.yaml", {"type": "string", "maxLength": 10})
    write("paths/pets.yaml", _get("../schemas/pet.yaml#/Pet"))
    main = write(
        "api/main.yaml",
        _doc(
            paths={"/pets": {"$ref": "../paths/pets.yaml"}},
            schemas={"Pet": {"$ref": "../schemas/pet.yaml#/Pet"}, "Tag": {"$ref": "../schemas/tag.yaml"}},
        ),
    )
    model = load(main)
    (op,) = model.operations
    schema = op.responses["200"].content["application/json"].schema
    assert schema is not None
    assert schema["properties"]["id"] == {"type": "integer", "minimum": 1}
    assert schema is model.schemas["Pet"]  # the same file + pointer resolves to the same object
    assert model.schemas["Tag"] == {"type": "string", "maxLength": 10}
    assert op.pointer == "/paths/~1pets/get"


def test_load_document_resolves_relative_to_source(write: Callable[..., Path]) -> None:
    write("defs.yaml", {"Name": {"type": "string"}})
    doc = _doc(paths={"/a": _get("defs.yaml#/Name")})
    model = load_document(doc, source=str(write("x/../main.yaml", "")))
    assert model.operations[0].responses["200"].content["application/json"].schema == {"type": "string"}


def test_recursive_schemas_become_real_cycles(write: Callable[..., Path]) -> None:
    schemas = {
        "Node": {
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}},
        },
        "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
    }
    model = load(write("s.yaml", _doc(paths={"/n": _get("#/components/schemas/Node")}, schemas=schemas)))
    node = model.schemas["Node"]
    assert node["properties"]["children"]["items"] is node
    a, b = model.schemas["A"], model.schemas["B"]
    assert a["properties"]["b"] is b
    assert b["properties"]["a"] is a
    assert model.operations[0].responses["200"].content["application/json"].schema is node
    walked = list(walk_schema(a))
    assert [(pointer, schema) for pointer, schema in walked] == [("", a), ("/properties/b", b)]  # a is not revisited


def test_walk_schema_yields_every_subschema_once_with_pointers() -> None:
    shared = {"type": "string"}
    schema = {
        "type": "object",
        "properties": {"a/b": shared, "c": {"type": "array", "items": shared}},
        "allOf": [{"required": ["c"]}],
        "additionalProperties": {"type": "integer"},
    }
    found = dict(walk_schema(schema))
    assert list(found) == ["", "/additionalProperties", "/allOf/0", "/properties/a~1b", "/properties/c"]
    assert found["/properties/a~1b"] is shared


def test_chains_of_references(write: Callable[..., Path]) -> None:
    schemas = {
        "A": {"$ref": "#/components/schemas/B"},
        "B": {"$ref": "#/components/schemas/C"},
        "C": {"type": "boolean"},
    }
    model = load(write("s.yaml", _doc(schemas=schemas)))
    assert model.schemas["A"] is model.schemas["C"]


def test_openapi_31_keywords_beside_ref_are_kept(write: Callable[..., Path]) -> None:
    schemas = {
        "Name": {"type": "string"},
        "Short": {"$ref": "#/components/schemas/Name", "maxLength": 3},
        "Described": {"$ref": "#/components/schemas/Name", "description": "just a note"},
    }
    model = load(write("s.yaml", _doc(schemas=schemas, version="3.1.0")))
    assert model.schemas["Short"] == {"maxLength": 3, "allOf": [{"type": "string"}]}
    assert model.schemas["Described"] is model.schemas["Name"]


def test_literal_values_that_look_like_refs_are_left_alone(write: Callable[..., Path]) -> None:
    schemas = {
        "Doc": {
            "type": "object",
            "example": {"$ref": "#/nowhere"},
            "properties": {"example": {"$ref": "#/components/schemas/Name"}, "$ref": {"type": "string"}},
            "x-vendor": {"$ref": "#/nowhere"},
        },
        "Name": {"type": "string"},
    }
    model = load(write("s.yaml", _doc(schemas=schemas)))
    doc = model.schemas["Doc"]
    assert doc["example"] == {"$ref": "#/nowhere"}
    assert doc["properties"]["example"] is model.schemas["Name"]
    assert doc["properties"]["$ref"] == {"type": "string"}


@pytest.mark.parametrize(
    ("schemas", "message"),
    [
        (
            {"A": {"$ref": "#/components/schemas/Missing"}},
            "s.yaml: /components/schemas/A/$ref: $ref '#/components/schemas/Missing' cannot be resolved: "
            "'Missing' not found",
        ),
        (
            {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}},
            "s.yaml: /components/schemas/A/$ref: $ref '#/components/schemas/B' is a loop of references",
        ),
        (
            {"A": {"$ref": "other.yaml#/X"}},
            "s.yaml: /components/schemas/A/$ref: $ref 'other.yaml#/X': other.yaml: file not found",
        ),
        (
            {"A": {"$ref": "#anchor"}},
            "s.yaml: /components/schemas/A/$ref: $ref '#anchor': "
            "only JSON-pointer fragments are supported (not anchors)",
        ),
    ],
)
def test_unresolvable_refs_name_the_pointer_of_the_ref(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, schemas: dict[str, Any], message: str
) -> None:
    path = write("s.yaml", _doc(schemas=schemas))
    monkeypatch.chdir(path.parent)
    with pytest.raises(SpecError) as caught:
        load("s.yaml")
    assert str(caught.value) == message


def test_error_in_a_referenced_file_names_that_file(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write("params.yaml", {"Bad": {"name": "q", "in": "body"}})
    spec = write("s.yaml", _doc(paths={"/a": {"get": {"parameters": [{"$ref": "params.yaml#/Bad"}], "responses": {}}}}))
    monkeypatch.chdir(spec.parent)
    with pytest.raises(SpecError) as caught:
        load("s.yaml")
    assert str(caught.value) == "params.yaml: /Bad/in: 'in' must be one of path, query, header, cookie, not 'body'"


def test_percent_encoded_pointer_in_a_ref(write: Callable[..., Path]) -> None:
    doc = _doc(
        paths={
            "/users/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {"responses": {}},
            },
            "/mirror/{id}": {"parameters": [{"$ref": "#/paths/~1users~1%7Bid%7D/parameters/0"}], "get": {}},
        }
    )
    users, mirror = load(write("s.yaml", doc)).operations
    assert mirror.parameters[0].name == "id"
    assert mirror.parameters[0].schema == users.parameters[0].schema


def test_a_referenced_file_may_point_back_into_the_root(write: Callable[..., Path]) -> None:
    write(
        "tree.yaml",
        {"Tree": {"type": "object", "properties": {"leaf": {"$ref": "main.yaml#/components/schemas/Leaf"}}}},
    )
    main = write(
        "main.yaml",
        _doc(
            paths={"/t": _get("tree.yaml#/Tree")},
            schemas={"Leaf": {"type": "object", "properties": {"tree": {"$ref": "tree.yaml#/Tree"}}}},
        ),
    )
    model = load(main)
    tree = model.operations[0].responses["200"].content["application/json"].schema
    assert tree is not None
    leaf = model.schemas["Leaf"]
    assert tree["properties"]["leaf"] is leaf
    assert leaf["properties"]["tree"] is tree


def test_openapi_31_webhooks(fixtures: Path) -> None:
    model = load(fixtures / "webhooks-3.1.json")
    assert model.operations == ()
    assert [(w.method, w.path) for w in model.webhooks] == [("POST", "newPet"), ("DELETE", "newPet")]
    post = model.webhooks[0]
    assert post.request_body is not None
    assert post.request_body.content["application/json"].schema is model.schemas["Pet"]
    assert post.pointer == "/webhooks/newPet/post"
    assert model.match("POST", "newPet") is None
