"""JSON limits: total size, nesting depth, keys per object, string and array length.

The size bound is checked on the raw bytes before anything is parsed. Parsing is orjson (C, linear
time, nesting capped at 1024 by the library), so no body can make the parser itself blow up; the
remaining limits are then checked by one iterative walk of the parsed value (no recursion, so a deep
document cannot exhaust the Python stack).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

__all__ = ["JsonLimitError", "JsonLimits", "parse_json"]


@dataclass(frozen=True, slots=True, kw_only=True)
class JsonLimits:
    max_bytes: int = 1_048_576
    max_depth: int = 32
    max_keys: int = 1000  # per object
    max_string: int = 65_536  # characters, keys included
    max_array: int = 10_000
    max_nodes: int = 100_000  # values in the whole document


class JsonLimitError(Exception):
    """``limit`` names which bound was hit (``depth``, ``keys`` …) or ``syntax`` for malformed JSON."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.message = message


def parse_json(body: bytes, limits: JsonLimits) -> Any:
    if len(body) > limits.max_bytes:
        raise JsonLimitError("size", f"the JSON body is larger than {limits.max_bytes} bytes")
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        if "recursion" in str(exc).lower() or "depth" in str(exc).lower():
            raise JsonLimitError("depth", f"the JSON body is nested deeper than {limits.max_depth}") from None
        raise JsonLimitError("syntax", "the body is not valid JSON") from None
    stack: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > limits.max_nodes:
            raise JsonLimitError("nodes", f"the JSON body has more than {limits.max_nodes} values")
        if isinstance(node, str):
            if len(node) > limits.max_string:
                raise JsonLimitError("string", f"a JSON string is longer than {limits.max_string} characters")
        elif isinstance(node, dict):
            if depth > limits.max_depth:
                raise JsonLimitError("depth", f"the JSON body is nested deeper than {limits.max_depth}")
            if len(node) > limits.max_keys:
                raise JsonLimitError("keys", f"a JSON object has more than {limits.max_keys} keys")
            for k, v in node.items():
                if len(k) > limits.max_string:
                    raise JsonLimitError("string", f"a JSON key is longer than {limits.max_string} characters")
                stack.append((v, depth + 1))
        elif isinstance(node, list):
            if depth > limits.max_depth:
                raise JsonLimitError("depth", f"the JSON body is nested deeper than {limits.max_depth}")
            if len(node) > limits.max_array:
                raise JsonLimitError("array", f"a JSON array has more than {limits.max_array} items")
            stack.extend((v, depth + 1) for v in node)
    return value
