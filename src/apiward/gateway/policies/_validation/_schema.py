"""OpenAPI schemas → compiled JSON Schema validators (fastjsonschema, compiled once at start-up).

The spec model keeps schemas with ``$ref`` resolved in place, so shared and recursive subschemas are
the *same dict objects* (cycles). Code generators cannot follow cycles, so :func:`to_json_schema`
hoists every subschema reached twice into ``definitions`` and points at it with ``$ref``. It also
turns the OpenAPI 3.0 / Swagger 2.0 dialect into draft 7: ``nullable``/``x-nullable`` → a ``null``
type, boolean ``exclusiveMinimum``/``exclusiveMaximum`` → numeric, and ``readOnly`` (requests) or
``writeOnly`` (responses) properties are no longer required. ``strict`` closes open objects
(``additionalProperties: false`` where the schema set no policy and uses no composition) and, in
requests, refuses ``readOnly`` properties (mass assignment).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import fastjsonschema
import jsonschema
import re2

__all__ = ["CompiledSchema", "LazySchema", "SchemaViolation", "compile_schema", "to_json_schema"]

_SINGLE = (
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "additionalItems",
)
_LISTS = ("allOf", "anyOf", "oneOf")
_MAPS = ("properties", "patternProperties", "dependentSchemas")
_COMPOSED = ("allOf", "anyOf", "oneOf", "not", "if", "$ref")
_DROP = frozenset({"discriminator", "xml", "externalDocs", "example", "examples", "deprecated", "nullable"})
_DRAFT7 = "http://json-schema.org/draft-07/schema#"


class SchemaViolation(Exception):
    """A value does not match; ``where`` is a dotted path (``body.items[0].name``), ``rule`` the keyword."""

    def __init__(self, message: str, where: str, rule: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.rule = rule


def _children(node: Mapping[str, Any]) -> list[Any]:
    out: list[Any] = [node[k] for k in _SINGLE if isinstance(node.get(k), Mapping)]
    items = node.get("items")
    if isinstance(items, Mapping):
        out.append(items)
    elif isinstance(items, list):
        out.extend(i for i in items if isinstance(i, Mapping))
    for k in _LISTS:
        if isinstance(node.get(k), list):
            out.extend(i for i in node[k] if isinstance(i, Mapping))
    for k in _MAPS:
        if isinstance(node.get(k), Mapping):
            out.extend(v for v in node[k].values() if isinstance(v, Mapping))
    return out


def _count(root: Mapping[str, Any]) -> dict[int, int]:
    counts: dict[int, int] = {}
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        n = counts.get(id(node), 0)
        counts[id(node)] = n + 1
        if n == 0:
            stack.extend(_children(node))
    return counts


@dataclass
class _Converter:
    direction: str  # request | response
    strict: bool
    counts: dict[int, int]
    definitions: dict[str, Any]
    names: dict[int, str]
    #: custom format name -> RE2 pattern, for ``pattern``s Python's ``re`` cannot compile (``\p{L}`` …)
    formats: dict[str, Any] = field(default_factory=dict)

    def _pattern(self, pattern: Any, out: dict[str, Any]) -> None:
        if not isinstance(pattern, str):
            return
        try:
            re.compile(pattern)
        except re.error:
            try:
                compiled = re2.compile(pattern)
            except Exception as exc:
                raise ValueError(f"pattern {pattern[:60]!r} is not a valid regular expression") from exc
            name = f"apiward-re2-{len(self.formats)}"
            self.formats[name] = compiled
            out.setdefault("allOf", []).append({"format": name})
        else:
            out["pattern"] = pattern

    def convert(self, node: Any, *, root: bool = False, branch: bool = False) -> Any:
        """``branch``: ``node`` is one member of an ``allOf``/``anyOf``/``oneOf`` (never closed by strict)."""
        if not isinstance(node, Mapping):
            return node
        if not root and self.counts.get(id(node), 0) > 1:
            name = self.names.get(id(node))
            if name is None:
                name = f"s{len(self.names)}"
                self.names[id(node)] = name
                self.definitions[name] = True  # placeholder while converting (cycles)
                self.definitions[name] = self._body(node, branch)
            return {"$ref": f"#/definitions/{name}"}
        return self._body(node, branch)

    def _body(self, node: Mapping[str, Any], branch: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP or key.startswith("x-"):
                continue
            if key in _SINGLE:
                out[key] = self.convert(value)
            elif key == "items":
                out[key] = [self.convert(v) for v in value] if isinstance(value, list) else self.convert(value)
            elif key in _LISTS and isinstance(value, list):
                out[key] = [self.convert(v, branch=True) for v in value]
            elif key in _MAPS and isinstance(value, Mapping):
                out[key] = {k: self.convert(v) for k, v in value.items()}
            elif key == "pattern":
                self._pattern(value, out)
            else:
                out[key] = value
        if node.get("nullable") is True or node.get("x-nullable") is True:
            kind = out.get("type")
            if isinstance(kind, str):
                out["type"] = [kind, "null"]
            elif isinstance(kind, list) and "null" not in kind:
                out["type"] = [*kind, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            flag = out.get(bound)
            if isinstance(flag, bool):
                del out[bound]
                if flag and plain in out:
                    out[bound] = out.pop(plain)
        skip = "readOnly" if self.direction == "request" else "writeOnly"
        props = node.get("properties")
        if isinstance(out.get("required"), list) and isinstance(props, Mapping):
            out["required"] = [
                r for r in out["required"] if not (isinstance(props.get(r), Mapping) and props[r].get(skip) is True)
            ]
            if not out["required"]:
                del out["required"]
        if self.strict and self.direction == "request" and isinstance(props, Mapping):
            # Mass assignment (OWASP API3:2023): a client must not set what the server owns.
            for name, sub in props.items():
                if isinstance(sub, Mapping) and sub.get("readOnly") is True and name in out.get("properties", {}):
                    out["properties"][name] = {"not": {}}
        if (
            self.strict
            and not branch
            and isinstance(props, Mapping)
            and "additionalProperties" not in node
            and "patternProperties" not in node
            and not any(k in node for k in _COMPOSED)
        ):
            out["additionalProperties"] = False
        return out


def _convert(schema: Mapping[str, Any], direction: str, strict: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    conv = _Converter(direction, strict, _count(schema), {}, {})
    out = conv.convert(schema, root=True)
    out["$schema"] = _DRAFT7
    if conv.definitions:
        out["definitions"] = conv.definitions
    return dict(out), conv.formats


def to_json_schema(schema: Mapping[str, Any], *, direction: str = "request", strict: bool = False) -> dict[str, Any]:
    """A self-contained draft-7 schema equivalent to the (possibly cyclic) OpenAPI ``schema``."""
    return _convert(schema, direction, strict)[0]


def _where(path: list[Any] | None, prefix: str) -> str:
    out = prefix
    for part in (path or [])[1:]:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@dataclass(frozen=True, slots=True)
class CompiledSchema:
    """A compiled validator; :meth:`check` raises :class:`SchemaViolation` with a client-safe message."""

    _validate: Callable[[Any], Any]
    _fallback: jsonschema.protocols.Validator | None
    prefix: str

    def check(self, value: Any) -> None:
        if self._fallback is not None:
            error = jsonschema.exceptions.best_match(self._fallback.iter_errors(value))
            if error is not None:
                where = _where(["data", *error.absolute_path], self.prefix)
                raise SchemaViolation(f"{where}: {error.message[:200]}", where, str(error.validator))
            return
        try:
            self._validate(value)
        except fastjsonschema.JsonSchemaValueException as exc:
            name = exc.name or "data"
            where = self.prefix + name[4:] if name.startswith("data") else self.prefix
            message = exc.message.replace("data", self.prefix, 1) if exc.message.startswith("data") else exc.message
            raise SchemaViolation(message[:200], where, exc.rule) from None


class LazySchema:
    """Compiles on first use: for response schemas of large APIs (thousands of them, most never seen on
    a given deployment), where compiling all at start-up would take minutes. Same ``check`` contract."""

    __slots__ = ("_compiled", "_direction", "_prefix", "_schema", "_strict")

    def __init__(self, schema: Mapping[str, Any], *, direction: str, strict: bool, prefix: str) -> None:
        self._schema = schema
        self._direction = direction
        self._strict = strict
        self._prefix = prefix
        self._compiled: CompiledSchema | None = None

    def check(self, value: Any) -> None:
        compiled = self._compiled
        if compiled is None:
            compiled = compile_schema(self._schema, direction=self._direction, strict=self._strict, prefix=self._prefix)
            self._compiled = compiled
        compiled.check(value)


#: Compiled validators by (schema object, direction, strict, prefix). Resolved ``$ref``s are shared dict
#: objects, so the many operations of a large API that take or return the same schema compile it once.
#: Entries hold the schema itself, so an ``id`` cannot be reused while its entry lives; bounded (LRU).
_CACHE: OrderedDict[tuple[int, str, bool, str], tuple[Mapping[str, Any], CompiledSchema]] = OrderedDict()
_CACHE_SIZE = 4096


def compile_schema(
    schema: Mapping[str, Any], *, direction: str = "request", strict: bool = False, prefix: str = "body"
) -> CompiledSchema:
    """Compile once. Falls back to ``jsonschema`` (slower) when fastjsonschema cannot compile the schema."""
    key = (id(schema), direction, strict, prefix)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is schema:
        _CACHE.move_to_end(key)
        return hit[1]
    compiled = _compile(schema, direction, strict, prefix)
    _CACHE[key] = (schema, compiled)
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return compiled


def _compile(schema: Mapping[str, Any], direction: str, strict: bool, prefix: str) -> CompiledSchema:
    converted, patterns = _convert(schema, direction, strict)
    checks = {name: _matcher(rx) for name, rx in patterns.items()}
    try:
        return CompiledSchema(fastjsonschema.compile(converted, formats=checks), None, prefix)
    except (fastjsonschema.JsonSchemaDefinitionException, ValueError, TypeError, RecursionError, SyntaxError):
        # A construct the code generator cannot handle: keep validating, with the interpreter.
        checker = jsonschema.FormatChecker()
        for name, check in checks.items():
            checker.checks(name)(check)
        validator = jsonschema.Draft7Validator(converted, format_checker=checker)
        return CompiledSchema(lambda v: v, validator, prefix)


def _matcher(rx: Any) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return not isinstance(value, str) or rx.search(value) is not None

    return check
