"""What a scan produces: progress events, per-operation coverage and the ``ScanResult``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from apiward.core import Finding

__all__ = ["Coverage", "ScanEvent", "ScanResult"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanEvent:
    """A progress event. ``kind``: ``phase``, ``operation``, ``check``, ``finding``, ``warning``, ``done``."""

    kind: str
    message: str = ""
    requests: int = 0
    findings: int = 0
    done: int = 0
    total: int = 0


@dataclass(slots=True)
class Coverage:
    """How one operation was exercised: requests, status codes, whether any answered 2xx, or why not tested."""

    operation: str
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    not_tested: str | None = None

    @property
    def succeeded(self) -> bool:
        return any(200 <= s < 300 for s in self.statuses)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "requests": self.requests,
            "succeeded": self.succeeded,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }
        if self.not_tested:
            out["not_tested"] = self.not_tested
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanResult:
    findings: tuple[Finding, ...]
    stats: dict[str, Any]
    coverage: dict[str, Coverage]
    not_tested: dict[str, str] = field(default_factory=dict)

    @property
    def coverage_ratio(self) -> float:
        tested = [c for c in self.coverage.values() if c.requests]
        return sum(c.succeeded for c in tested) / len(self.coverage) if self.coverage else 0.0
