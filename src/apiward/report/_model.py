"""``Report``: everything a renderer needs — findings, the rule catalogue, stats and timing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

from apiward.core import Confidence, Cwe, Finding, OwaspApi2023, Severity

__all__ = ["REPORT_FORMAT_VERSION", "Report", "ReportKind", "RuleInfo"]

REPORT_FORMAT_VERSION = 1

ReportKind = Literal["audit", "scan"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleInfo:
    """Catalogue entry of one audit rule or scan check, as reports show it (SARIF ``tool.driver.rules``)."""

    id: str
    title: str
    severity: Severity
    confidence: Confidence
    owasp: OwaspApi2023
    cwe: Cwe
    description: str
    fix: str
    help_uri: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity.label,
            "confidence": self.confidence.label,
            "owasp": self.owasp.value,
            "cwe": str(self.cwe),
            "description": self.description,
            "fix": self.fix,
            "help_uri": self.help_uri,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The result of one audit or scan run.

    ``stats`` is free-form; a scan sets ``requests``, ``duration_s`` and ``coverage`` ({op key: {...}}),
    an audit sets ``operations`` and ``rules_run``. ``score`` (0–100) is set by audits.
    """

    kind: ReportKind
    tool_version: str
    target: str
    findings: tuple[Finding, ...]
    started: datetime
    finished: datetime
    stats: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    score: int | None = None
    rules: tuple[RuleInfo, ...] = ()
    format_version: int = REPORT_FORMAT_VERSION

    def __post_init__(self) -> None:
        if self.kind not in ("audit", "scan"):
            raise ValueError(f"report kind must be 'audit' or 'scan', got {self.kind!r}")
        if self.score is not None and not 0 <= self.score <= 100:
            raise ValueError(f"score must be within 0..100, got {self.score}")
        object.__setattr__(self, "findings", tuple(sorted(self.findings, key=lambda f: f.sort_key)))

    @property
    def duration_s(self) -> float:
        return max(0.0, (self.finished - self.started).total_seconds())

    def counts(self) -> dict[Severity, int]:
        """Number of findings per severity, most severe first, every severity present."""
        counts = dict.fromkeys(sorted(Severity, reverse=True), 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def rule(self, rule_id: str) -> RuleInfo | None:
        for info in self.rules:
            if info.id == rule_id:
                return info
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "kind": self.kind,
            "tool": {"name": "apiward", "version": self.tool_version},
            "target": self.target,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat(),
            "duration_s": round(self.duration_s, 3),
            "score": self.score,
            "counts": {sev.label: n for sev, n in self.counts().items()},
            "stats": dict(self.stats),
            "findings": [f.to_dict() for f in self.findings],
            "rules": [r.to_dict() for r in self.rules],
        }
