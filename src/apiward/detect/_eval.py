"""Scoring the engine on a labelled corpus (the CRS-regression JSONL format): TPR, TNR, balanced accuracy.

Pure functions over lines of text; the CLI does the file reading. Row format::

    {"id": "...", "category": "sqli", "label": "attack" | "benign" | "leak", "desc": "...",
     "request": {"method": "POST", "uri": "/post?x=1", "headers": {...}, "body_b64": "..."}}

A row counts as *flagged* when the engine's inspection is an attack (any family at/above the threshold) — the same
decision a blocking gateway makes. ``leak`` rows (response-side tests) and other labels are skipped.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from apiward.core import HttpRequest, InputError
from apiward.detect._types import Inspection

__all__ = ["Outcome", "Report", "Sample", "evaluate", "parse_corpus"]

ATTACK = "attack"
BENIGN = "benign"


@dataclass(frozen=True, slots=True, kw_only=True)
class Sample:
    id: str
    category: str
    label: str
    desc: str
    request: HttpRequest


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    sample: Sample
    inspection: Inspection

    @property
    def flagged(self) -> bool:
        return self.inspection.is_attack


def _request(raw: Any) -> HttpRequest:
    if not isinstance(raw, dict):
        raise ValueError("'request' must be an object")
    uri = raw.get("uri", "/")
    if not isinstance(uri, str):
        raise ValueError("'request.uri' must be a string")
    path, _, query = uri.partition("?")
    headers = raw.get("headers") or {}
    if not isinstance(headers, dict):
        raise ValueError("'request.headers' must be an object")
    body_b64 = raw.get("body_b64", "") or ""
    try:
        body = base64.b64decode(body_b64, validate=True) if body_b64 else b""
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"'request.body_b64' is not base64: {exc}") from None
    if "body" in raw and not body_b64 and isinstance(raw["body"], str):
        body = raw["body"].encode("utf-8")
    return HttpRequest(
        method=str(raw.get("method", "GET")),
        path=path or "/",
        query=query,
        headers=tuple((str(k), str(v)) for k, v in headers.items()),
        body=body,
    )


def parse_corpus(
    lines: Iterable[str],
    *,
    source: str,
    label_column: str = "label",
    category_column: str = "category",
    skip_bad: bool = False,
    on_skip: Callable[[str], None] | None = None,
) -> Iterator[Sample]:
    """Rows of a corpus; a malformed line raises :class:`InputError` naming ``source:line`` unless ``skip_bad``."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
            if not isinstance(row, dict):
                raise ValueError("a row must be a JSON object")
            if label_column not in row:
                raise ValueError(f"missing '{label_column}'")
            yield Sample(
                id=str(row.get("id", f"line-{number}")),
                category=str(row.get(category_column, "uncategorised")),
                label=str(row[label_column]),
                desc=str(row.get("desc", "")),
                request=_request(row.get("request")),
            )
        except (orjson.JSONDecodeError, ValueError, TypeError) as exc:
            message = f"{source}:{number}: {exc}"
            if not skip_bad:
                raise InputError(str(exc), source=f"{source}:{number}") from exc
            if on_skip is not None:
                on_skip(message)


@dataclass(slots=True)
class _Counts:
    tp: int = 0
    fn: int = 0
    tn: int = 0
    fp: int = 0

    def add(self, label: str, flagged: bool) -> None:
        if label == ATTACK:
            if flagged:
                self.tp += 1
            else:
                self.fn += 1
        elif flagged:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def tpr(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def tnr(self) -> float | None:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None

    @property
    def balanced_accuracy(self) -> float | None:
        rates = [r for r in (self.tpr, self.tnr) if r is not None]
        return sum(rates) / len(rates) if rates else None

    def as_dict(self) -> dict[str, float | None]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {"tpr": r(self.tpr), "tnr": r(self.tnr), "balanced_accuracy": r(self.balanced_accuracy)}


@dataclass(slots=True)
class Report:
    overall: _Counts = field(default_factory=_Counts)
    families: dict[str, _Counts] = field(default_factory=dict)
    false_positives: list[Outcome] = field(default_factory=list)
    false_negatives: list[Outcome] = field(default_factory=list)
    skipped: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "families": {name: counts.as_dict() for name, counts in sorted(self.families.items())},
        }

    def counts(self, family: str | None = None) -> _Counts:
        return self.overall if family is None else self.families[family]

    def worst_false_positives(self, n: int = 10) -> list[Outcome]:
        return sorted(self.false_positives, key=lambda o: (-o.inspection.total_score, o.sample.id))[:n]

    def worst_false_negatives(self, n: int = 10) -> list[Outcome]:
        return sorted(self.false_negatives, key=lambda o: (o.inspection.total_score, o.sample.id))[:n]


def evaluate(inspect: Callable[[HttpRequest], Inspection], samples: Iterable[Sample]) -> Report:
    """Run ``inspect`` on every attack/benign sample and tally per category and overall."""
    report = Report()
    for sample in samples:
        if sample.label not in (ATTACK, BENIGN):
            report.skipped += 1
            continue
        outcome = Outcome(sample=sample, inspection=inspect(sample.request))
        report.overall.add(sample.label, outcome.flagged)
        report.families.setdefault(sample.category, _Counts()).add(sample.label, outcome.flagged)
        if sample.label == ATTACK and not outcome.flagged:
            report.false_negatives.append(outcome)
        elif sample.label == BENIGN and outcome.flagged:
            report.false_positives.append(outcome)
    return report
