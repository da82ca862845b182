"""Endpoint inference: concrete paths -> templates (``/users/42/orders/7f3c…`` -> ``/users/{userId}/orders/{orderId}``).

Two passes: each segment is first recognised by shape (integers, UUIDs, hex hashes, dates, long opaque
tokens); then positions where one prefix fans out to many distinct literal values (``/users/alice``,
``/users/bob``, …) become parameters too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["SEGMENT_KINDS", "Templater", "segment_kind"]

SEGMENT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("uuid", re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")),
    ("date", re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")),
    ("id", re.compile(r"^[0-9]+$")),
    ("hash", re.compile(r"^(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*[0-9])[0-9a-fA-F]{16,}$")),
    ("token", re.compile(r"^(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}$")),
)
#: The JSON-schema of a path parameter of each kind.
KIND_SCHEMA: dict[str, dict[str, str]] = {
    "uuid": {"type": "string", "format": "uuid"},
    "date": {"type": "string", "format": "date"},
    "id": {"type": "integer"},
    "hash": {"type": "string", "pattern": "^[0-9a-fA-F]+$"},
    "token": {"type": "string"},
    "name": {"type": "string"},
}


def segment_kind(segment: str) -> str | None:
    for kind, pattern in SEGMENT_KINDS:
        if pattern.match(segment):
            return kind
    return None


def _singular(word: str) -> str:
    word = re.sub(r"[^A-Za-z0-9]", "_", word).strip("_")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class TemplatedPath:
    template: str
    params: tuple[tuple[str, str, str], ...]  # (name, kind, concrete value)


class Templater:
    """Learns from every concrete path first (``learn``), then templates them (``template``)."""

    def __init__(self, *, fan_out: int = 20) -> None:
        self._fan_out = fan_out
        self._paths: set[tuple[str, ...]] = set()
        self._wild: set[tuple[int, tuple[str, ...]]] = set()  # (position, shape with '*' there)

    @staticmethod
    def _segments(path: str) -> tuple[str, ...]:
        return tuple(s for s in path.split("/") if s != "")

    @staticmethod
    def _shape(segments: Iterable[str]) -> tuple[str, ...]:
        return tuple("{}" if segment_kind(s) else s for s in segments)

    def learn(self, paths: Iterable[str]) -> None:
        for p in paths:
            self._paths.add(self._shape(self._segments(p)))
        values: dict[tuple[int, tuple[str, ...]], set[str]] = defaultdict(set)
        for shape in self._paths:
            for i, seg in enumerate(shape):
                if seg != "{}" and i > 0:
                    values[(i, (*shape[:i], "*", *shape[i + 1 :]))].add(seg)
        self._wild = {key for key, seen in values.items() if len(seen) >= self._fan_out}

    def template(self, path: str) -> TemplatedPath:
        segments = self._segments(path)
        shape = self._shape(segments)
        out: list[str] = []
        params: list[tuple[str, str, str]] = []
        used: set[str] = set()
        for i, seg in enumerate(segments):
            kind = segment_kind(seg)
            if kind is None and (i, (*shape[:i], "*", *shape[i + 1 :])) in self._wild:
                kind = "name"
            if kind is None:
                out.append(seg)
                continue
            previous = out[-1] if out and not out[-1].startswith("{") else None
            if kind == "date":
                base = "date"
            elif previous:
                base = _singular(previous) + ("Name" if kind == "name" else "Id")
            else:
                base = "id" if kind != "name" else "name"
            name, n = base, 2
            while name in used:
                name, n = f"{base}{n}", n + 1
            used.add(name)
            out.append("{" + name + "}")
            params.append((name, kind, seg))
        return TemplatedPath("/" + "/".join(out) if out else "/", tuple(params))
