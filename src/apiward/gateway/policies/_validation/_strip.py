"""Undocumented fields: find (and optionally drop) object members a response schema does not declare.

A member is documented when the object's schema — or any ``allOf``/``anyOf``/``oneOf`` branch of it —
lists it in ``properties``, matches a ``patternProperties`` pattern, or allows extras through
``additionalProperties`` (``true`` or a schema). Objects whose schema says nothing about members
(no ``properties``) are left alone. The walk follows the data (finite) with the schema alongside,
so recursive schemas need no special care; depth is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["strip_undocumented"]

_MAX_DEPTH = 64


def _branches(schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    out = [schema]
    i = 0
    while i < len(out):
        node = out[i]
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key, ()) if isinstance(node.get(key), list) else ():
                if isinstance(sub, Mapping) and all(sub is not o for o in out):
                    out.append(sub)
        i += 1
    return out


def _object_rules(schema: Mapping[str, Any]) -> tuple[dict[str, Mapping[str, Any]], list[str], bool, bool]:
    """(properties, patterns, extras allowed, says anything about members)."""
    props: dict[str, Mapping[str, Any]] = {}
    patterns: list[str] = []
    extras = False
    declares = False
    for branch in _branches(schema):
        if isinstance(branch.get("properties"), Mapping):
            declares = True
            for k, v in branch["properties"].items():
                props.setdefault(k, v if isinstance(v, Mapping) else {})
        if isinstance(branch.get("patternProperties"), Mapping):
            declares = True
            patterns.extend(branch["patternProperties"])
        extra = branch.get("additionalProperties")
        if extra is True or isinstance(extra, Mapping):
            extras = True
    return props, patterns, extras, declares


def _items(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for branch in _branches(schema):
        items = branch.get("items")
        if isinstance(items, Mapping):
            return items
    return None


def strip_undocumented(value: Any, schema: Mapping[str, Any], *, remove: bool, path: str = "body") -> list[str]:
    """Paths of undocumented members in ``value``; with ``remove`` they are deleted in place."""
    found: list[str] = []
    stack: list[tuple[Any, Mapping[str, Any], str, int]] = [(value, schema, path, 0)]
    while stack:
        node, sub, where, depth = stack.pop()
        if depth > _MAX_DEPTH:
            continue
        if isinstance(node, dict):
            props, patterns, extras, declares = _object_rules(sub)
            if not declares:
                continue
            for key in list(node):
                child = props.get(key)
                if child is not None:
                    stack.append((node[key], child, f"{where}.{key}", depth + 1))
                elif extras or any(re.search(p, key) for p in patterns):
                    continue
                else:
                    found.append(f"{where}.{key}")
                    if remove:
                        del node[key]
        elif isinstance(node, list):
            items = _items(sub)
            if items is not None:
                stack.extend((v, items, f"{where}[{i}]", depth + 1) for i, v in enumerate(node))
    return found
