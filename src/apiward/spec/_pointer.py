"""JSON pointers (RFC 6901): escape, join, parse a URI fragment and look one up in a document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote

__all__ = ["escape", "from_fragment", "join", "lookup", "split"]


def escape(token: str) -> str:
    """One reference token: ``~`` -> ``~0`` and ``/`` -> ``~1``."""
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def join(base: str, *tokens: str | int) -> str:
    """``join("/paths", "/users/{id}", "get")`` -> ``/paths/~1users~1{id}/get``."""
    return base + "".join("/" + escape(str(t)) for t in tokens)


def split(pointer: str) -> list[str]:
    """The unescaped tokens of a pointer (``""`` is the whole document)."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def from_fragment(fragment: str) -> str:
    """A URI fragment (``/components/schemas/Pet%20Type``) as a plain JSON pointer."""
    return unquote(fragment)


def lookup(document: Any, pointer: str) -> Any:
    """The node at ``pointer``; ``KeyError`` naming the first token that does not exist."""
    node = document
    for token in split(pointer):
        if isinstance(node, Mapping):
            if token not in node:
                raise KeyError(token)
            node = node[token]
        elif isinstance(node, Sequence) and not isinstance(node, str):
            if not token.isdigit() or int(token) >= len(node):
                raise KeyError(token)
            node = node[int(token)]
        else:
            raise KeyError(token)
    return node
