"""Rule metadata (``RuleMeta``), what a rule reports (``Hit``), and the ``@rule`` decorator.

A rule is one function ``check(model) -> Iterable[Hit]`` in its own module, decorated with
``@rule(id=..., title=..., ...)``; its docstring is its documentation page. The engine turns each
``Hit`` into a :class:`~apiward.core.Finding` carrying the rule's metadata.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from apiward.core import Confidence, Cwe, Finding, OwaspApi2023, Severity
from apiward.spec import ApiModel, ApiOperation

__all__ = ["CheckFn", "Hit", "Rule", "RuleMeta", "rule"]

_ID = re.compile(r"AUD-\d{3}")


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleMeta:
    """Stable metadata of one rule. ``id`` (``AUD-nnn``) is never reused, even after a rule is removed."""

    id: str
    title: str
    severity: Severity
    confidence: Confidence
    owasp: OwaspApi2023
    cwe: Cwe
    rationale: str
    fix: str

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"rule id must look like AUD-001, got {self.id!r}")
        for name in ("title", "rationale", "fix"):
            if not getattr(self, name).strip():
                raise ValueError(f"rule {self.id}: {name} must not be empty")


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """One place where a rule fires. ``operation`` is ``None`` for document-level hits."""

    message: str
    operation: ApiOperation | None = None
    location: str = ""
    pointer: str = ""  # JSON pointer into the source document, when known
    evidence: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


CheckFn = Callable[[ApiModel], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    meta: RuleMeta
    check: CheckFn
    doc: str

    @property
    def id(self) -> str:
        return self.meta.id

    def run(self, model: ApiModel) -> list[Finding]:
        return [self.finding(hit) for hit in self.check(model)]

    def finding(self, hit: Hit) -> Finding:
        evidence = dict(hit.evidence)
        if hit.pointer:
            evidence["pointer"] = hit.pointer
        return Finding(
            check_id=self.meta.id,
            title=self.meta.title,
            severity=self.meta.severity,
            confidence=self.meta.confidence,
            owasp=self.meta.owasp,
            cwe=self.meta.cwe,
            message=hit.message,
            remediation=self.meta.fix,
            operation=hit.operation.ref if hit.operation is not None else None,
            location=hit.location,
            evidence=MappingProxyType(evidence),
        )


def rule(
    *,
    id: str,
    title: str,
    severity: Severity,
    confidence: Confidence,
    owasp: OwaspApi2023,
    cwe: int,
    rationale: str,
    fix: str,
) -> Callable[[CheckFn], Rule]:
    """Decorate ``check(model)`` into a :class:`Rule`; validates metadata, signature and docstring now."""
    meta = RuleMeta(
        id=id,
        title=title,
        severity=severity,
        confidence=confidence,
        owasp=owasp,
        cwe=Cwe(cwe),
        rationale=rationale,
        fix=fix,
    )

    def decorate(check: CheckFn) -> Rule:
        params = list(inspect.signature(check).parameters.values())
        if len(params) != 1 or params[0].kind not in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD):
            raise TypeError(f"rule {id}: check must take exactly one positional argument (the ApiModel)")
        doc = inspect.getdoc(check)
        if not doc:
            raise TypeError(f"rule {id}: the check function needs a docstring (it is the rule's documentation)")
        return Rule(meta, check, doc)

    return decorate
