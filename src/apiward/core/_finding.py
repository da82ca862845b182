"""``Finding``: one weakness found by the audit or the scanner."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from apiward.core._operation import Operation
from apiward.core._severity import Confidence, Severity
from apiward.core._taxonomy import Cwe, OwaspApi2023

__all__ = ["FINDING_FORMAT_VERSION", "Finding"]

FINDING_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A confirmed weakness. Frozen and keyword-only; ``fingerprint`` identifies it across runs.

    ``location`` narrows the place inside the operation (``query:id``, ``body:/role``,
    ``response:200:/password``) and takes part in the fingerprint; ``evidence`` must already be
    redacted (see :func:`apiward.core.redact_mapping`).
    """

    check_id: str
    title: str
    severity: Severity
    confidence: Confidence
    owasp: OwaspApi2023
    cwe: Cwe
    message: str
    remediation: str
    operation: Operation | None = None
    location: str = ""
    evidence: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    format_version: int = FINDING_FORMAT_VERSION

    @property
    def fingerprint(self) -> str:
        """Stable id for dedup and baselines: check id + operation key + location, hashed."""
        op = self.operation.key if self.operation else "-"
        raw = "\x1f".join((self.check_id, op, self.location))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    @property
    def sort_key(self) -> tuple[int, int, str, str, str]:
        """Most severe first, then most confident, then by rule and place."""
        op = self.operation.key if self.operation else ""
        return (-int(self.severity), -int(self.confidence), self.check_id, op, self.location)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "fingerprint": self.fingerprint,
            "check_id": self.check_id,
            "title": self.title,
            "severity": self.severity.label,
            "confidence": self.confidence.label,
            "owasp": self.owasp.value,
            "cwe": str(self.cwe),
            "operation": self.operation.to_dict() if self.operation else None,
            "location": self.location,
            "message": self.message,
            "remediation": self.remediation,
            "evidence": dict(self.evidence),
        }
