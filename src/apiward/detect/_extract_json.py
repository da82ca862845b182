"""JSON bodies → values: every key and string leaf, located by JSON pointer (``body:/items/0/name``).

Two walks give the same texts in the same order. The fast one (:func:`_json_texts`) collects texts only and records
subtree sizes, so :class:`JsonValues` rebuilds a location only for a value a rule fired on; the full one
(:func:`_walk_json`, iterative) handles what the fast one leaves to it: depth past its recursion budget, foreign
types, and the eager mode tools use.
"""

from __future__ import annotations

import bisect
import itertools
from typing import Any

import orjson

from apiward.detect._text import bytes_to_text
from apiward.detect._values import Collector, Value

__all__ = ["JsonValues", "parse_json"]


def _pointer_token(key: str) -> str:
    if "~" not in key and "/" not in key:
        return key
    return key.replace("~", "~0").replace("/", "~1")


def _walk_json(col: Collector, node: Any, pointer: str, prefix: str) -> None:
    # Iterative walk: no recursion limit to hit on hostile nesting. ``Collector.add`` is inlined (with local names
    # for what it reads): this loop runs once per JSON node and dominates extraction time on large bodies.
    limits = col.limits
    max_depth, max_values, max_len = limits.max_depth, limits.max_values, limits.max_value_length
    out = col.out
    values = out.texts
    limits_hit = out.limits_hit
    stack: list[tuple[Any, str, int]] = [(node, pointer, 0)]
    while stack:
        item, ptr, depth = stack.pop()
        if depth > max_depth:
            limits_hit.add("max_depth")
            col.anomaly("json-depth", f"{prefix}{ptr or '/'}", f"JSON nested deeper than {max_depth}")
            continue
        if isinstance(item, dict):
            children = []
            for k, v in item.items():
                key = str(k)
                child = f"{ptr}/{_pointer_token(key)}"
                if key:
                    if len(values) >= max_values:
                        limits_hit.add("max_values")
                        return
                    if len(key) > max_len:
                        limits_hit.add("max_value_length")
                        key = key[:max_len]
                    out.put(prefix + child, key, "key")
                children.append((v, child, depth + 1))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend((v, f"{ptr}/{i}", depth + 1) for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, str):
            col.add(f"{prefix}{ptr or '/'}", item)
        elif item is not None and not isinstance(item, bool | int | float):
            col.add(f"{prefix}{ptr or '/'}", str(item))
        if len(values) >= max_values:
            limits_hit.add("max_values")
            return


class _Fallback(Exception):
    """The fast walk meets what only the full walk reports (a node past the depth limit, a foreign type)."""


class _Enough(Exception):
    """The fast walk has more values than the request may hold."""


# The fast walk recurses (one frame per container); deeper limits take the iterative full walk.
_FAST_MAX_DEPTH = 200


def _json_texts(doc: Any, texts: list[str], sizes: dict[int, int], keys: list[int], max_depth: int, cap: int) -> None:
    """Append the keys and string leaves of ``doc`` to ``texts`` in the order of :func:`_walk_json`.

    Records in ``sizes`` the number of texts under each fully walked container (by ``id``), which lets
    :class:`JsonValues` skip subtrees when it rebuilds locations, and in ``keys`` where each run of object keys
    starts and ends (so a text's kind is known without its location). Raises :class:`_Fallback` where the full walk
    would report an anomaly, :class:`_Enough` once more than ``cap`` texts are collected.
    """
    append = texts.append

    def visit(node: dict[str, Any] | list[Any], depth: int) -> None:
        start = len(texts)
        children: Any
        if type(node) is dict:
            if "" in node:
                texts.extend([key for key in node if key])
            else:
                texts.extend(node)
            keys.extend((start, len(texts)))
            children = node.values()
        else:
            children = node
        if depth >= max_depth and children:
            raise _Fallback
        for child in children:
            kind = type(child)
            if kind is str:
                if child:
                    append(child)
            elif kind is dict or kind is list:
                visit(child, depth + 1)
            elif not (child is None or kind is int or kind is float or kind is bool):
                raise _Fallback
        sizes[id(node)] = len(texts) - start
        if len(texts) > cap:
            raise _Enough

    visit(doc, 0)


class JsonValues:
    """Locations and kinds of the JSON texts of an :class:`Extracted`, rebuilt on demand by a walk that follows
    the fast walk's order and skips the subtrees that hold no wanted index."""

    __slots__ = ("_built", "_doc", "_keys", "_offsets", "_prefix", "_sizes", "_start", "_texts")

    def __init__(
        self, doc: Any, prefix: str, texts: list[str], start: int, sizes: dict[int, int], keys: list[int]
    ) -> None:
        self._doc = doc
        self._keys = keys
        self._prefix = prefix
        self._texts = texts
        self._start = start
        self._sizes = sizes
        self._built: dict[int, Value] = {}
        self._offsets: dict[int, list[int]] = {}

    def kind(self, index: int) -> str:
        return "key" if bisect.bisect_right(self._keys, index) % 2 else "value"

    def value(self, index: int) -> Value:
        found = self._built.get(index)
        if found is None:
            self._locate(index - self._start)
            found = self._built[index]
        return found

    def values(self) -> list[Value]:
        """All of them, in order, by one walk."""
        texts, start = self._texts, self._start
        count = len(texts) - start
        out: list[Value] = []
        if not count:
            return out
        if type(self._doc) is str:
            return [Value(f"{self._prefix}/", texts[start])]

        def visit(node: Any, pointer: str) -> None:
            items: Any
            if type(node) is dict:
                for key in node:
                    if key:
                        if len(out) == count:
                            return
                        location = f"{self._prefix}{pointer}/{_pointer_token(key)}"
                        out.append(Value(location, texts[start + len(out)], "key"))
                items = ((_pointer_token(key), child) for key, child in node.items())
            else:
                items = ((str(index), child) for index, child in enumerate(node))
            for token, child in items:
                if len(out) == count:
                    return
                if type(child) is str:
                    if child:
                        out.append(Value(f"{self._prefix}{pointer}/{token}", texts[start + len(out)]))
                elif type(child) is dict or type(child) is list:
                    visit(child, f"{pointer}/{token}")

        visit(self._doc, "")
        return out

    def _list_offsets(self, node: list[Any]) -> list[int]:
        """Where each item's texts start, relative to the list's first text."""
        sizes = self._sizes
        counts = [
            (1 if child else 0)
            if type(child) is str
            else sizes.get(id(child), 1 << 62)  # not recorded: the walk stopped inside it
            if type(child) is dict or type(child) is list
            else 0
            for child in node
        ]
        offsets = list(itertools.accumulate(counts, initial=0))
        del offsets[-1]
        return offsets

    def _locate(self, wanted: int) -> None:
        doc, prefix, texts, start = self._doc, self._prefix, self._texts, self._start
        if type(doc) is str:
            self._built[start] = Value(f"{prefix}/", texts[start])
            return
        node: Any = doc
        pointer = ""
        pos = 0  # index (relative to the JSON texts) of the next text the walk would append
        while True:
            if type(node) is dict:
                count = len(node) - ("" in node)  # the walk appends the non-empty keys first
                if wanted < pos + count:
                    key = [key for key in node if key][wanted - pos]
                    location = f"{prefix}{pointer}/{_pointer_token(key)}"
                    self._built[start + wanted] = Value(location, texts[start + wanted], "key")
                    return
                pos += count
                items: Any = node.items()
            else:
                offsets = self._offsets.get(id(node))
                if offsets is None:
                    offsets = self._offsets[id(node)] = self._list_offsets(node)
                index = bisect.bisect_right(offsets, wanted - pos) - 1  # long arrays: no walk over the items
                items = ((str(index), node[index]),)  # (a digit string is its own pointer token)
                pos += offsets[index]
            for token, child in items:
                kind = type(child)
                if kind is str:
                    if not child:
                        continue
                    if pos == wanted:
                        location = f"{prefix}{pointer}/{_pointer_token(token)}"
                        self._built[start + wanted] = Value(location, texts[start + wanted])
                        return
                    pos += 1
                elif kind is dict or kind is list:
                    size = self._sizes.get(id(child))  # None: the walk stopped inside it, so it holds the rest
                    if size is not None and wanted >= pos + size:
                        pos += size
                        continue
                    node = child
                    pointer = f"{pointer}/{_pointer_token(token)}"
                    break
            else:  # pragma: no cover - every index below len(texts) is reached by the walk
                raise IndexError(wanted)


def _json_lazy(col: Collector, doc: Any, prefix: str) -> bool:
    """The fast path of :func:`_walk_json` for a whole JSON body: texts now, locations on demand. ``False``: the
    document needs the full walk (nothing was added)."""
    limits = col.limits
    out = col.out
    if out._json is not None or not 0 <= limits.max_depth <= _FAST_MAX_DEPTH:
        return False
    texts = out.texts
    start = len(texts)
    room = limits.max_values - start
    sizes: dict[int, int] = {}
    keys: list[int] = []
    try:
        if type(doc) is str:
            if doc:
                texts.append(doc)
        elif type(doc) is dict or type(doc) is list:
            _json_texts(doc, texts, sizes, keys, limits.max_depth, start + max(room, 0))
        elif not (doc is None or type(doc) is int or type(doc) is float or type(doc) is bool):
            raise _Fallback
    except _Enough:
        pass
    except _Fallback:
        del texts[start:]
        return False
    if len(texts) - start >= room:
        out.limits_hit.add("max_values")
        del texts[start + max(room, 0) :]
    max_len = limits.max_value_length
    if len(texts) > start and max(map(len, texts[start:])) > max_len:
        out.limits_hit.add("max_value_length")
        texts[start:] = [text[:max_len] for text in texts[start:]]
    out._json = JsonValues(doc, prefix, texts, start, sizes, keys)
    return True


def _prototype_paths(node: Any, budget: int) -> list[str]:
    """JSON pointers of the objects that hold ``{"constructor": {"prototype": …}}`` (prototype pollution through
    ``Object.assign``/merge without ``__proto__``). Only called when the body holds both words; ``budget`` bounds the
    walk by the number of containers visited."""
    out: list[str] = []
    stack = [(node, "")]
    while stack and budget > 0:
        item, ptr = stack.pop()
        budget -= 1
        if type(item) is dict:
            inner = item.get("constructor")
            if type(inner) is dict and "prototype" in inner:
                out.append(f"{ptr}/constructor/prototype")
            stack.extend((v, f"{ptr}/{_pointer_token(str(k))}") for k, v in item.items() if type(v) in (dict, list))
        elif type(item) is list:
            stack.extend((v, f"{ptr}/{i}") for i, v in enumerate(item) if type(v) in (dict, list))
    return out


def parse_json(col: Collector, body: bytes, prefix: str, *, lazy: bool = False) -> bool:
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        # orjson stops at 1024 levels: that is a depth anomaly, not a syntax error.
        if "depth" in str(exc).lower() or "recursion" in str(exc).lower():
            col.out.limits_hit.add("max_depth")
            col.anomaly("json-depth", f"{prefix}/", "JSON nested deeper than the parser allows")
            col.add(prefix.rstrip(":") or "body", bytes_to_text(body[: col.limits.max_value_length])[0], "body")
            return True
        return False
    if not (lazy and _json_lazy(col, doc, prefix)):
        _walk_json(col, doc, "", prefix)
    if b"prototype" in body and b"constructor" in body:  # two substring searches; the walk only when both stand
        for path in _prototype_paths(doc, col.limits.max_values)[:8]:
            col.anomaly("json-prototype", f"{prefix}{path}", "an object's constructor.prototype is set")
    return True
