"""OpenAPI schemas → compiled validators: cycles, shared nodes, 3.0 dialect, RE2-only patterns."""

from __future__ import annotations

from typing import Any

import pytest

from apiward.gateway.policies._validation._schema import LazySchema, SchemaViolation, compile_schema, to_json_schema


def violates(schema: dict[str, Any], value: Any, **kw: Any) -> bool:
    try:
        compile_schema(schema, **kw).check(value)
    except SchemaViolation:
        return True
    return False


def test_cycles_become_refs() -> None:
    node: dict[str, Any] = {"type": "object", "properties": {"name": {"type": "string"}}}
    node["properties"]["child"] = node
    converted = to_json_schema(node)
    assert converted["properties"]["child"] == {"$ref": "#/definitions/s0"}
    assert not violates(node, {"name": "a", "child": {"name": "b", "child": {}}})
    assert violates(node, {"child": {"child": {"name": 3}}})


def test_shared_nodes_are_hoisted_once() -> None:
    shared = {"type": "integer", "minimum": 0}
    schema = {"type": "object", "properties": {"a": shared, "b": shared}}
    converted = to_json_schema(schema)
    assert converted["definitions"] == {"s0": {"type": "integer", "minimum": 0}}
    assert violates(schema, {"b": -1})


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        ({"type": "string", "nullable": True}, None, 3),
        ({"type": "string", "enum": ["a"], "nullable": True}, None, "b"),
        ({"type": "number", "minimum": 0, "exclusiveMinimum": True}, 0.1, 0),
        ({"type": "number", "maximum": 5, "exclusiveMaximum": True}, 4.9, 5),
        ({"type": "string", "pattern": "^\\p{L}+$"}, "héllo", "h3llo"),  # RE2-only syntax
        ({"type": "string", "x-extension": 1, "example": "x", "discriminator": {}}, "s", 1),
    ],
)
def test_openapi_dialect(schema: dict[str, Any], good: Any, bad: Any) -> None:
    assert not violates(schema, good)
    assert violates(schema, bad)


def test_read_and_write_only_are_not_required_on_their_side() -> None:
    schema = {
        "type": "object",
        "required": ["id", "password"],
        "properties": {"id": {"type": "integer", "readOnly": True}, "password": {"type": "string", "writeOnly": True}},
    }
    assert not violates(schema, {"password": "x"}, direction="request")
    assert not violates(schema, {"id": 1}, direction="response")
    assert violates(schema, {"id": 1}, direction="request")


def test_strict_closes_plain_objects_but_not_compositions() -> None:
    plain = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert not violates(plain, {"a": "x", "b": 1})
    assert violates(plain, {"a": "x", "b": 1}, strict=True)
    composed = {"allOf": [plain, {"type": "object", "properties": {"b": {"type": "integer"}}}]}
    assert not violates(composed, {"a": "x", "b": 1}, strict=True)


def test_invalid_pattern_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a valid regular expression"):
        compile_schema({"type": "string", "pattern": "(unclosed"})


def test_violation_names_the_field() -> None:
    with pytest.raises(SchemaViolation) as info:
        compile_schema(
            {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "integer"}}}}
        ).check({"items": [1, "x"]})
    assert info.value.where == "body.items[1]"


def test_same_schema_object_compiles_once() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    assert compile_schema(schema) is compile_schema(schema)
    assert compile_schema(schema) is not compile_schema(schema, strict=True)
    assert compile_schema(schema) is not compile_schema(dict(schema))


def test_lazy_schema_compiles_on_first_use() -> None:
    schema = {"type": "object", "required": ["a"]}
    lazy = LazySchema(schema, direction="response", strict=False, prefix="body")
    assert lazy._compiled is None
    lazy.check({"a": 1})
    assert lazy._compiled is not None
    with pytest.raises(SchemaViolation):
        lazy.check({})
