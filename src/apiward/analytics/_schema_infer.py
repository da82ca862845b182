"""JSON-schema inference from sample values: types, properties, required keys, array items, string formats."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

__all__ = ["Shape", "infer_scalar_schema", "string_format"]

_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("date-time", re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$")),
    ("date", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("uuid", re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")),
    ("email", re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")),
    ("uri", re.compile(r"^https?://\S+$")),
    ("ipv4", re.compile(r"^(?:\d{1,3}\.){3}\d{1,3}$")),
)
_MAX_PROPS = 200
_MAX_DEPTH = 16


def string_format(value: str) -> str | None:
    for name, pattern in _FORMATS:
        if pattern.match(value):
            return name
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class Shape:
    """Accumulates samples of one location; :meth:`schema` gives the JSON schema they share."""

    __slots__ = ("_formats", "_items", "_objects", "_props", "_types")

    def __init__(self) -> None:
        self._types: Counter[str] = Counter()
        self._formats: Counter[str | None] = Counter()
        self._props: dict[str, tuple[Shape, list[int]]] = {}
        self._objects = 0
        self._items: Shape | None = None

    def add(self, value: Any, _depth: int = 0) -> None:
        kind = _json_type(value)
        self._types[kind] += 1
        if _depth >= _MAX_DEPTH:
            return
        if kind == "string":
            self._formats[string_format(value)] += 1
        elif kind == "object":
            self._objects += 1
            for key, item in value.items():
                entry = self._props.get(key)
                if entry is None:
                    if len(self._props) >= _MAX_PROPS:
                        continue
                    entry = self._props[key] = (Shape(), [0])
                entry[1][0] += 1
                entry[0].add(item, _depth + 1)
        elif kind == "array":
            if self._items is None:
                self._items = Shape()
            for item in value[:50]:
                self._items.add(item, _depth + 1)

    def schema(self) -> dict[str, Any]:
        types = set(self._types)
        if {"integer", "number"} <= types:
            types.discard("integer")
        out: dict[str, Any] = {}
        ordered = sorted(types)
        if len(ordered) == 1:
            out["type"] = ordered[0]
        elif ordered:
            out["type"] = ordered
        if "string" in types and len(self._formats) == 1:
            (fmt,) = self._formats
            if fmt is not None:
                out["format"] = fmt
        if "object" in types:
            out["properties"] = {k: shape.schema() for k, (shape, _) in sorted(self._props.items())}
            required = sorted(k for k, (_, seen) in self._props.items() if seen[0] == self._objects)
            if required:
                out["required"] = required
        if "array" in types:
            out["items"] = self._items.schema() if self._items is not None and self._items._types else {}
        return out


def infer_scalar_schema(values: list[str]) -> dict[str, Any]:
    """The schema of query-string values (always strings on the wire): integer, number, boolean or string."""
    if values and all(re.fullmatch(r"-?\d+", v) for v in values):
        return {"type": "integer"}
    if values and all(re.fullmatch(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", v) for v in values):
        return {"type": "number"}
    if values and all(v.lower() in ("true", "false") for v in values):
        return {"type": "boolean"}
    formats = {string_format(v) for v in values}
    if len(formats) == 1 and None not in formats:
        return {"type": "string", "format": formats.pop()}
    return {"type": "string"}
