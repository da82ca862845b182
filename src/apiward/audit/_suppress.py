"""In-description suppressions: ``x-apiward-ignore`` on the document or an operation.

    x-apiward-ignore: [AUD-018, AUD-032]          # list of rule ids
    x-apiward-ignore:                             # or ids with the reason, kept in the report's stats
      AUD-003: "sign-up must be public"

At the document root it silences the rules everywhere; on an operation, for that operation only. Unknown
ids are an error (a typo must not silently keep a finding alive or hide the wrong one).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from apiward.core import Finding, SpecError
from apiward.spec import ApiModel

__all__ = ["EXTENSION", "Suppressions", "suppressions"]

EXTENSION = "x-apiward-ignore"


@dataclass(frozen=True, slots=True)
class Suppressions:
    everywhere: frozenset[str]
    per_operation: Mapping[str, frozenset[str]]  # operation key -> rule ids

    def silences(self, finding: Finding) -> bool:
        if finding.check_id in self.everywhere:
            return True
        op = finding.operation
        return op is not None and finding.check_id in self.per_operation.get(op.key, frozenset())

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """``(kept, suppressed)``."""
        kept: list[Finding] = []
        dropped: list[Finding] = []
        for f in findings:
            (dropped if self.silences(f) else kept).append(f)
        return kept, dropped


def _ids(value: Any, *, source: str, pointer: str, known: Collection[str]) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, Mapping):
        value = list(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(
            f"{EXTENSION} must be a list of rule ids or a map of rule id to reason", source=source, pointer=pointer
        )
    ids = frozenset(v.strip().upper() for v in value)
    unknown = sorted(ids - set(known))
    if unknown:
        raise SpecError(f"{EXTENSION} names unknown rule id(s): {', '.join(unknown)}", source=source, pointer=pointer)
    return ids


def suppressions(model: ApiModel, known: Collection[str]) -> Suppressions:
    """Read every ``x-apiward-ignore`` of ``model``; ``known`` are the valid rule ids."""
    everywhere: frozenset[str] = frozenset()
    if EXTENSION in model.raw:
        everywhere = _ids(model.raw[EXTENSION], source=model.source, pointer=f"/{EXTENSION}", known=known)
    per_operation = {
        op.ref.key: _ids(
            op.extensions[EXTENSION], source=model.source, pointer=f"{op.pointer}/{EXTENSION}", known=known
        )
        for op in model.operations
        if EXTENSION in op.extensions
    }
    return Suppressions(everywhere, per_operation)
