"""The detector contract: stable metadata, the evidence a detector returns, and a registry that rejects duplicates."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol

from apiward.core import Confidence, Cwe, Decision, OwaspApi2023, SecurityEvent, Severity
from apiward.state import StateBackend

__all__ = ["Detection", "Detector", "DetectorInfo", "DetectorRegistry", "Principal"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who an observation is about: ``kind`` is one of the block-list kinds ``identity``, ``token``, ``ip``."""

    kind: str
    value: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


@dataclass(frozen=True, slots=True, kw_only=True)
class DetectorInfo:
    """Stable metadata. ``id`` is never reused; the detector's docstring is its documentation."""

    id: str
    name: str
    severity: Severity
    confidence: Confidence
    owasp: OwaspApi2023
    cwe: Cwe | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Detection:
    """What a detector concluded about one principal, with its evidence."""

    principal: Principal
    reason: str
    evidence: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: What remediation should block (defaults to the principal).
    block: Principal | None = None

    def to_event(self, info: DetectorInfo, trigger: SecurityEvent, *, actions: tuple[str, ...] = ()) -> SecurityEvent:
        """The alert as an audit-trail record (``kind="detection"``, ``decision=alert``)."""
        target = self.block or self.principal
        return SecurityEvent(
            kind="detection",
            decision=Decision.ALERT,
            source="analytics",
            instance=trigger.instance,
            timestamp=trigger.timestamp,
            severity=info.severity,
            operation=trigger.operation,
            method=trigger.method,
            path=trigger.path,
            client_ip=trigger.client_ip,
            user_agent=trigger.user_agent,
            identity=trigger.identity,
            matched_rules=(info.id,),
            reason=self.reason,
            detail={
                "detector": info.name,
                "confidence": info.confidence.label,
                "owasp": info.owasp.value,
                "cwe": str(info.cwe) if info.cwe is not None else None,
                "principal": {"kind": self.principal.kind, "value": self.principal.value},
                "block": {"kind": target.kind, "value": target.value},
                "trigger_event": trigger.id,
                "evidence": dict(self.evidence),
                "remediation": list(actions),
            },
        )


class Detector(Protocol):
    """One behavioural detector: sees every request event, keeps its state in the backend."""

    info: DetectorInfo

    async def observe(self, event: SecurityEvent, state: StateBackend) -> Detection | None: ...


class DetectorRegistry:
    """An ordered set of detectors; rejects duplicate ids and detectors without the expected shape."""

    def __init__(self, detectors: Iterable[Detector] = ()) -> None:
        self._items: dict[str, Detector] = {}
        for detector in detectors:
            self.add(detector)

    def add(self, detector: Detector) -> None:
        info = getattr(detector, "info", None)
        if not isinstance(info, DetectorInfo):
            raise TypeError(f"{detector!r} has no DetectorInfo 'info'")
        if not inspect.iscoroutinefunction(getattr(detector, "observe", None)):
            raise TypeError(f"{info.id}: observe must be 'async def observe(self, event, state)'")
        if not (type(detector).__doc__ or "").strip():
            raise TypeError(f"{info.id}: a detector's docstring is its documentation; write one")
        if info.id in self._items:
            raise ValueError(f"duplicate detector id {info.id}")
        self._items[info.id] = detector

    def __iter__(self) -> Any:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def ids(self) -> tuple[str, ...]:
        return tuple(self._items)
