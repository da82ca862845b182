"""Security requirements and the effective security of an operation (shared by 2.0 and 3.x)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiward.spec._context import Loc, Reader, kind_of, readonly
from apiward.spec._model import SecurityRequirement

__all__ = ["effective_security", "requirements"]


def requirements(node: Mapping[str, Any], loc: Loc) -> tuple[SecurityRequirement, ...]:
    """The ``security`` list of ``node``: alternatives (OR) of scheme name -> scopes (AND)."""
    items = Reader.field_list(node, "security", loc)
    out: list[SecurityRequirement] = []
    for i, item in enumerate(items):
        iloc = loc.at("security", i)
        if not isinstance(item, dict):
            raise iloc.error(f"a security requirement must be an object, not {kind_of(item)}")
        requirement: dict[str, tuple[str, ...]] = {}
        for name, scopes in item.items():
            sloc = iloc.at(name)
            if scopes is None:
                scopes = []
            if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
                raise sloc.error(f"the scopes of '{name}' must be a list of strings")
            requirement[str(name)] = tuple(scopes)
        out.append(readonly(requirement))
    return tuple(out)


def effective_security(
    operation: Mapping[str, Any], loc: Loc, default: tuple[SecurityRequirement, ...]
) -> tuple[tuple[SecurityRequirement, ...], bool]:
    """``(security, declared)``: the operation's own list (``[]`` opts out) or else the document default."""
    if "security" in operation and operation["security"] is not None:
        return requirements(operation, loc), True
    return default, False
