"""Schema helpers for rules: a context-aware walk, request/response schema iteration, name matching.

The spec loader resolves ``$ref``s in place, so recursive schemas are cycles of the same dict objects;
every walk here keeps a set of visited ``id()``s. It is written here rather than built on
``apiward.spec.walk_schema`` because rules need each property's *name* and must prune subtrees that do
not apply to the direction being checked (``readOnly`` parts of a request, ``writeOnly`` parts of a
response).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from apiward.audit._rule import Hit
from apiward.spec import ApiModel, ApiOperation

__all__ = [
    "WRITE_METHODS",
    "Node",
    "Place",
    "is_success",
    "norm",
    "request_places",
    "request_schemas",
    "response_places",
    "response_schemas",
    "schema_types",
]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_NON_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True, slots=True)
class Node:
    """A subschema reached by :func:`walk`: its JSON pointer (relative to the root), property name if any."""

    pointer: str
    name: str | None
    schema: Mapping[str, Any]


def norm(name: str) -> str:
    """``"Is_Admin"`` / ``"is-admin"`` / ``"isAdmin"`` -> ``"isadmin"``: compare names regardless of style."""
    return _NON_ALNUM.sub("", name.lower())


def _esc(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def schema_types(schema: Mapping[str, Any]) -> frozenset[str]:
    """Declared JSON types (``type`` string or list); inferred from keywords when ``type`` is absent."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(str(t) for t in declared)
    if "properties" in schema:
        return frozenset({"object"})
    if "items" in schema:
        return frozenset({"array"})
    return frozenset()


def is_success(status: str) -> bool:
    return status.startswith("2")


def request_schemas(op: ApiOperation) -> Iterator[tuple[str, str | None, Mapping[str, Any]]]:
    """``(kind, name, schema)`` for every request input: parameters (kind ``query``, name ``limit``) and bodies."""
    for param in op.parameters:
        if param.schema:
            yield param.location.value, param.name, param.schema
    if op.request_body is not None:
        for media in op.request_body.content.values():
            if media.schema is not None:
                yield "body", None, media.schema


def response_schemas(op: ApiOperation) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """``(status, media type, schema)`` for every response body schema."""
    for status, response in op.responses.items():
        for media_type, media in response.content.items():
            if media.schema is not None:
                yield status, media_type, media.schema


@dataclass(frozen=True, slots=True)
class Place:
    """A subschema as rules see it: the operation that reached it first, where it is, and what kind of input.

    Subschemas inside a named component schema (``components.schemas.User``) get a location relative to
    that component (``schema:User:/password``) and are reported once, however many operations use them;
    others are located per operation (``body:/name``, ``query:limit``, ``response:200:/token``).
    """

    op: ApiOperation
    kind: str  # body | path | query | header | cookie | response
    location: str
    node: Node
    component: str | None
    pointer: str

    def hit(self, message: str) -> Hit:
        if self.component is not None:
            return Hit(
                location=self.location,
                pointer=self.pointer,
                message=message,
                evidence={"first_used_by": self.op.ref.key},
            )
        return Hit(operation=self.op, location=self.location, pointer=self.pointer, message=message)


def _component_pointer(model: ApiModel, name: str) -> str:
    base = "/definitions/" if model.spec_version.startswith("2") else "/components/schemas/"
    return base + _esc(name)


def _places(
    model: ApiModel,
    roots: Callable[[ApiOperation], Iterator[tuple[str, str, str | None, Mapping[str, Any]]]],
    prune: Callable[[Mapping[str, Any]], bool],
) -> Iterator[Place]:
    components = {id(schema): name for name, schema in model.schemas.items()}
    done: set[int] = set()  # components already walked in this direction: their places are global
    for op in model.operations:
        seen: set[int] = set()
        for kind, base, root_name, root in roots(op):
            stack: list[tuple[str, str | None, Any, str | None]] = [(base, root_name, root, None)]
            while stack:
                loc, name, node, component = stack.pop()
                if not isinstance(node, Mapping) or id(node) in seen or prune(node):
                    continue
                seen.add(id(node))
                named = components.get(id(node))
                if named is not None:
                    if id(node) in done:
                        continue
                    done.add(id(node))
                    loc, component = f"schema:{named}:", named
                pointer = _component_pointer(model, component) if component else op.pointer
                yield Place(op, kind, loc.rstrip(":"), Node(loc, name, node), component, pointer)
                children: list[tuple[str, str | None, Any, str | None]] = []
                props = node.get("properties")
                if isinstance(props, Mapping):
                    children += [(f"{loc}/{_esc(str(k))}", str(k), v, component) for k, v in props.items()]
                if isinstance(node.get("items"), Mapping):
                    children.append((f"{loc}/[]", None, node["items"], component))
                if isinstance(node.get("additionalProperties"), Mapping):
                    children.append((f"{loc}/additionalProperties", None, node["additionalProperties"], component))
                for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
                    value = node.get(key)
                    if isinstance(value, list):
                        children += [(loc, name, item, component) for item in value]
                stack.extend(reversed(children))


def _request_roots(op: ApiOperation) -> Iterator[tuple[str, str, str | None, Mapping[str, Any]]]:
    for kind, name, schema in request_schemas(op):
        yield kind, f"{kind}:{name}:" if name else f"{kind}:", name, schema


def _response_roots(op: ApiOperation) -> Iterator[tuple[str, str, str | None, Mapping[str, Any]]]:
    for status, _media, schema in response_schemas(op):
        yield "response", f"response:{status}:", None, schema


def _read_only(schema: Mapping[str, Any]) -> bool:
    return schema.get("readOnly") is True


def _write_only(schema: Mapping[str, Any]) -> bool:
    return schema.get("writeOnly") is True


def request_places(model: ApiModel) -> Iterator[Place]:
    """Every subschema a client sends (parameters and bodies; ``readOnly`` parts pruned), each place once."""
    return _places(model, _request_roots, _read_only)


def response_places(model: ApiModel) -> Iterator[Place]:
    """Every subschema a server returns (``writeOnly`` parts pruned), each place once."""
    return _places(model, _response_roots, _write_only)
