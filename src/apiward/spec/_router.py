"""The router: a concrete ``method`` + ``path`` -> the operation serving it and its path parameters.

A segment trie built once: at each segment a literal child is tried first, then templated segments
that mix text and parameters (``{name}.{ext}``, most literal text first), then a whole-segment
parameter (``{id}``) — so ``/users/me`` beats ``/users/{id}``. When the most specific path has no
operation for the method, less specific ones are tried, so ``allowed_methods(path)`` is exactly the set
of methods for which ``match`` succeeds. Paths are split on ``/`` *before* percent-decoding, so ``%2F``
inside a value never creates a new segment; extracted values are percent-decoded. One trailing slash
is tolerated, query strings and fragments are ignored, methods are case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from apiward.spec._model import ApiOperation

__all__ = ["RouteMatch", "Router"]

_WHOLE_PARAM = re.compile(r"\{([^{}/]+)\}")
_ANY_PARAM = re.compile(r"\{([^{}/]*)\}")
_NO_PARAMS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class RouteMatch:
    """The operation a request is for, and its path parameters (percent-decoded)."""

    operation: ApiOperation
    path_params: Mapping[str, str]


class _Node:
    __slots__ = ("literals", "ops", "param", "patterns")

    def __init__(self) -> None:
        self.literals: dict[str, _Node] = {}
        self.patterns: list[tuple[re.Pattern[str], int, _Node]] = []  # (regex, literal chars, child)
        self.param: _Node | None = None
        self.ops: dict[str, tuple[ApiOperation, tuple[str, ...]]] = {}


def _normalize(path: str) -> str:
    """The path without query, fragment, and leading or trailing slashes."""
    if "?" in path:
        path = path.partition("?")[0]
    if "#" in path:
        path = path.partition("#")[0]
    return path.strip("/")


def _pseudo(template: str) -> bool:
    return "?" in template or "#" in template


def _segments(path: str) -> list[str]:
    path = _normalize(path)
    return path.split("/") if path else []


class Router:
    """Matches concrete paths against the path templates of ``operations`` (first one wins on a tie)."""

    def __init__(self, operations: Iterable[ApiOperation]) -> None:
        self._root = _Node()
        self._count = 0
        #: Templates without parameters, by (method, normalized path): the most specific match there is,
        #: answered with one dict look-up and a prebuilt result.
        self._static: dict[tuple[str, str], RouteMatch] = {}
        for op in operations:
            self._add(op)

    def __len__(self) -> int:
        return self._count

    def _add(self, op: ApiOperation) -> None:
        node = self._root
        names: list[str] = []
        for segment in _segments(op.path):
            whole = _WHOLE_PARAM.fullmatch(segment)
            if whole:
                names.append(whole.group(1))
                if node.param is None:
                    node.param = _Node()
                node = node.param
            elif "{" in segment:
                node = self._pattern_child(node, segment, names)
            else:
                node = node.literals.setdefault(segment, _Node())
        method = op.method.upper()
        existing = node.ops.get(method)
        # The same template twice (even with other parameter names): the first wins, except that a plain
        # template beats a pseudo-path whose query or fragment only tells operations apart
        # (``/users#operation=suspend``, as in some converted AWS descriptions).
        if existing is not None and not (_pseudo(existing[0].path) and not _pseudo(op.path)):
            return
        node.ops[method] = (op, tuple(names))
        self._count += existing is None
        if not names:
            self._static[(method, _normalize(op.path))] = RouteMatch(operation=op, path_params=_NO_PARAMS)

    @staticmethod
    def _pattern_child(node: _Node, segment: str, names: list[str]) -> _Node:
        parts: list[str] = []
        last = 0
        literal = 0
        for m in _ANY_PARAM.finditer(segment):
            parts.append(re.escape(segment[last : m.start()]))
            literal += m.start() - last
            parts.append("(.+?)" if m.end() < len(segment) else "(.+)")  # one raw segment: "/" only from %2F
            names.append(m.group(1))
            last = m.end()
        parts.append(re.escape(segment[last:]))
        literal += len(segment) - last
        regex = re.compile("".join(parts), re.DOTALL)
        for existing, _, child in node.patterns:
            if existing.pattern == regex.pattern:
                return child
        child = _Node()
        node.patterns.append((regex, literal, child))
        node.patterns.sort(key=lambda p: -p[1])
        return child

    def match(self, method: str, path: str) -> RouteMatch | None:
        """The operation for ``method`` + ``path`` (a concrete request path), or ``None``."""
        method = method.upper()
        normalized = _normalize(path)
        if "%" not in normalized:
            static = self._static.get((method, normalized))
            if static is not None:
                return static
        values: list[str] = []
        found = self._find(self._root, normalized.split("/") if normalized else [], 0, method, values)
        if found is None:
            return None
        op, names = found
        params = MappingProxyType(dict(zip(names, values, strict=True))) if names else _NO_PARAMS
        return RouteMatch(operation=op, path_params=params)

    def allowed_methods(self, path: str) -> tuple[str, ...]:
        """Every method some operation serves at ``path`` (sorted); empty when no template matches.

        ``match(m, path)`` is ``None`` for a method outside this set, and found for one inside it: a
        gateway answers 404 when the set is empty and 405 (with ``Allow``) when the method is not in it.
        """
        methods: set[str] = set()
        self._collect(self._root, _segments(path), 0, methods)
        return tuple(sorted(methods))

    def _find(
        self, node: _Node, segments: list[str], i: int, method: str, values: list[str]
    ) -> tuple[ApiOperation, tuple[str, ...]] | None:
        end = len(segments)
        while i < end:
            raw = segments[i]
            child = node.literals.get(raw)
            decoded = raw
            if "%" in raw:
                decoded = unquote(raw)
                if child is None and "/" not in decoded:
                    child = node.literals.get(decoded)
            if not node.patterns and node.param is None:  # nothing to fall back to: no recursion needed
                if child is None:
                    return None
                node = child
                i += 1
                continue
            if child is not None:
                found = self._find(child, segments, i + 1, method, values)
                if found is not None:
                    return found
            for regex, _, pattern_child in node.patterns:
                m = regex.fullmatch(decoded)
                if m is not None:
                    groups = m.groups()
                    values.extend(groups)
                    found = self._find(pattern_child, segments, i + 1, method, values)
                    if found is not None:
                        return found
                    del values[len(values) - len(groups) :]
            if node.param is not None and raw:
                values.append(decoded)
                found = self._find(node.param, segments, i + 1, method, values)
                if found is not None:
                    return found
                values.pop()
            return None
        return node.ops.get(method)

    def _collect(self, node: _Node, segments: list[str], i: int, methods: set[str]) -> None:
        if i == len(segments):
            methods.update(node.ops)
            return
        raw = segments[i]
        decoded = unquote(raw) if "%" in raw else raw
        children = [node.literals.get(raw)]
        if decoded is not raw and "/" not in decoded:
            children.append(node.literals.get(decoded))
        children.extend(child for regex, _, child in node.patterns if regex.fullmatch(decoded))
        if raw:
            children.append(node.param)
        for child in dict.fromkeys(c for c in children if c is not None):
            self._collect(child, segments, i + 1, methods)
