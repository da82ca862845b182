from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from apiward.scan._generate import Generator, negative_values


def test_formats_enums_bounds() -> None:
    gen = Generator()
    assert gen.value({"type": "string", "format": "email"}).endswith("@example.test")
    assert gen.value({"type": "string", "enum": ["a", "b"]}) == "a"
    assert gen.value({"type": "integer", "minimum": 5, "maximum": 9}) == 5
    assert gen.value({"type": "integer", "exclusiveMinimum": 5}) == 6
    assert len(gen.value({"type": "string", "minLength": 20})) >= 20
    assert len(gen.value({"type": "string", "maxLength": 3})) <= 3
    assert gen.value({"type": "string", "example": "ex"}) == "ex"


def test_object_required_and_readonly() -> None:
    schema = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "id": {"type": "integer", "readOnly": True}},
    }
    value = Generator().value(schema)
    assert "name" in value
    assert "id" not in value


def test_recursive_schema_terminates() -> None:
    node: dict[str, Any] = {"type": "object", "properties": {}}
    node["properties"]["child"] = node
    node["required"] = ["child"]
    value = Generator().value(node)
    assert isinstance(value, dict)


_PATTERNS = ["^[a-z]{3,8}$", r"^\d{4}-\d{2}$", "^[A-Z][a-z0-9_]{2,10}$", "^INV-[0-9]{5}$"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_PATTERNS), st.integers(0, 1000))
def test_pattern_values_match(pattern: str, seed: int) -> None:
    value = Generator(seed).value({"type": "string", "pattern": pattern})
    assert re.search(pattern, value), (pattern, value)


def test_negative_values_break_the_schema() -> None:
    assert "not-a-number" in list(negative_values({"type": "integer", "maximum": 3}))
    assert 4 in list(negative_values({"type": "integer", "maximum": 3}))
    assert 12345 in list(negative_values({"type": "string"}))
