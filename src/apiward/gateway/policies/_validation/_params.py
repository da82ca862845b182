"""Parameters: raw strings from path, query, header and cookie, coerced by their schema, then validated.

Coercion follows OpenAPI serialization for the common styles: ``form`` arrays (repeated keys or commas),
``simple`` (commas), ``spaceDelimited`` / ``pipeDelimited``; integers, numbers and booleans are
converted only when they look like one, so the validator reports the type error itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apiward.gateway.policies._validation._schema import CompiledSchema, SchemaViolation, compile_schema
from apiward.spec import Parameter, ParamLocation

__all__ = ["ParamCheck", "coerce", "compile_params"]

_INT = re.compile(r"-?(?:0|[1-9]\d{0,30})")
_NUM = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SPLIT = {"spaceDelimited": " ", "pipeDelimited": "|"}
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


def _types(schema: Mapping[str, Any]) -> tuple[str, ...]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return (kind,)
    if isinstance(kind, list):
        return tuple(k for k in kind if isinstance(k, str))
    return ()


def _scalar(raw: str, schema: Mapping[str, Any]) -> Any:
    kinds = _types(schema)
    if "integer" in kinds and _INT.fullmatch(raw):
        return int(raw)
    if "number" in kinds and _NUM.fullmatch(raw):
        return float(raw) if any(c in raw for c in ".eE") else int(raw)
    if "boolean" in kinds and raw in ("true", "false"):
        return raw == "true"
    if "null" in kinds and raw == "":
        return None
    return raw


def coerce(values: Sequence[str], schema: Mapping[str, Any], style: str | None = None) -> Any:
    """The typed value of one parameter from its raw occurrences."""
    if "array" in _types(schema):
        found = schema.get("items")
        items: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        raw: list[str] = list(values)
        if len(raw) == 1:
            raw = raw[0].split(_SPLIT.get(style or "", ",")) if raw[0] else []
        return [_scalar(v, items) for v in raw]
    return _scalar(values[0], schema)


@dataclass(frozen=True, slots=True)
class ParamCheck:
    name: str
    location: ParamLocation
    required: bool
    style: str | None
    schema: Mapping[str, Any]
    compiled: CompiledSchema | None
    is_array: bool

    def check(self, values: Sequence[str] | None) -> None:
        where = f"{self.location.value}.{self.name}"
        if not values:
            if self.required:
                raise SchemaViolation(f"{where} is required", where, "required")
            return
        if len(values) > 1 and not self.is_array:
            raise SchemaViolation(f"{where} is given more than once", where, "duplicate")
        if self.compiled is not None:
            self.compiled.check(coerce(values, self.schema, self.style))


def compile_params(params: Sequence[Parameter]) -> tuple[ParamCheck, ...]:
    out = []
    for p in params:
        if p.location is ParamLocation.HEADER and p.name.lower() in _IGNORED_HEADERS:
            continue  # OpenAPI 3: these header parameters are ignored (the protocol defines them)
        schema = p.schema or {}
        # Object parameters (deepObject and friends) are checked for presence only.
        typed = bool(schema) and "object" not in _types(schema)
        compiled = compile_schema(schema, prefix=f"{p.location.value}.{p.name}") if typed else None
        out.append(
            ParamCheck(
                p.name,
                p.location,
                p.required or p.location is ParamLocation.PATH,
                p.style,
                schema,
                compiled,
                "array" in _types(schema),
            )
        )
    return tuple(out)
