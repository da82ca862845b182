"""``walk_schema``: every subschema of a (resolved, possibly recursive) JSON Schema, each once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from apiward.spec._pointer import escape

__all__ = ["walk_schema"]

#: Keywords whose value is one subschema.
_SINGLE = (
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
)
#: Keywords whose value is a list of subschemas.
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
#: Keywords whose value maps names to subschemas.
_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")


def walk_schema(schema: Mapping[str, Any], pointer: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Yield ``(json_pointer, subschema)`` depth-first, the root first, visiting each dict object once.

    Pointers are relative to ``schema`` (prefixed with ``pointer``). Recursive schemas are cycles of the
    same dict objects: the cycle guard keeps a set of visited ``id()``s, so each subschema appears once,
    under the first pointer that reached it. Boolean schemas (``true``/``false``) are not yielded.
    """
    seen: set[int] = set()
    stack: list[tuple[str, Any]] = [(pointer, schema)]
    while stack:
        where, node = stack.pop()
        if not isinstance(node, Mapping) or id(node) in seen:
            continue
        seen.add(id(node))
        yield where, node
        children: list[tuple[str, Any]] = []
        for key in _SINGLE:
            value = node.get(key)
            if isinstance(value, Mapping):
                children.append((f"{where}/{key}", value))
        for key in _LISTS:
            value = node.get(key)
            if isinstance(value, list):
                children.extend((f"{where}/{key}/{i}", item) for i, item in enumerate(value))
        for key in _MAPS:
            value = node.get(key)
            if isinstance(value, Mapping):
                children.extend((f"{where}/{key}/{escape(str(name))}", item) for name, item in value.items())
        stack.extend(reversed(children))
