"""``SecurityEvent`` and ``Identity``: what the gateway and detectors record, versioned."""

from __future__ import annotations

import enum
import hashlib
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from apiward.core._operation import Operation
from apiward.core._redact import redact_mapping
from apiward.core._severity import Severity

__all__ = ["ANONYMOUS", "EVENT_FORMAT_VERSION", "Decision", "Identity", "SecurityEvent", "token_fingerprint"]

EVENT_FORMAT_VERSION = 1


def token_fingerprint(token: str) -> str:
    """A short, non-reversible id for a credential (``sha256:`` + 16 hex) — safe to store and join on."""
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class Decision(enum.Enum):
    """What happened to a request, or what a detector concluded."""

    ALLOW = "allow"
    DENY = "deny"
    LOG = "log"  # a policy in log-only mode would have denied
    ALERT = "alert"  # a behavioural detector raised an alert

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """Who made a request, as established by authentication. Never holds the credential itself."""

    subject: str
    kind: str = "anonymous"  # jwt | introspection | api_key | basic | anonymous
    issuer: str | None = None
    scopes: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    tenant: str | None = None
    token_fingerprint: str | None = None
    claims: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_anonymous(self) -> bool:
        return self.kind == "anonymous"

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "kind": self.kind,
            "issuer": self.issuer,
            "scopes": sorted(self.scopes),
            "roles": sorted(self.roles),
            "tenant": self.tenant,
            "token_fingerprint": self.token_fingerprint,
        }


ANONYMOUS = Identity(subject="anonymous")


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityEvent:
    """One record of the audit trail: a request decision or a detection. Secrets are redacted on creation.

    ``kind`` is ``request`` (one per gateway request) or ``detection`` (behavioural detector alert).
    """

    kind: str
    decision: Decision
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    timestamp: float = field(default_factory=time.time)
    source: str = "gateway"
    instance: str | None = None
    severity: Severity = Severity.INFO
    operation: Operation | None = None
    method: str | None = None
    path: str | None = None
    status: int | None = None
    client_ip: str | None = None
    user_agent: str | None = None
    identity: Identity | None = None
    matched_rules: tuple[str, ...] = ()
    reason: str | None = None
    latency_ms: float | None = None
    request_bytes: int | None = None
    response_bytes: int | None = None
    detail: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    format_version: int = EVENT_FORMAT_VERSION

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", MappingProxyType(redact_mapping(dict(self.detail))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "id": self.id,
            "timestamp": self.timestamp,
            "kind": self.kind,
            "source": self.source,
            "instance": self.instance,
            "decision": self.decision.value,
            "severity": self.severity.label,
            "operation": self.operation.to_dict() if self.operation else None,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "client_ip": self.client_ip,
            "user_agent": self.user_agent,
            "identity": self.identity.to_dict() if self.identity else None,
            "matched_rules": list(self.matched_rules),
            "reason": self.reason,
            "latency_ms": self.latency_ms,
            "request_bytes": self.request_bytes,
            "response_bytes": self.response_bytes,
            "detail": dict(self.detail),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SecurityEvent:
        """Inverse of :meth:`to_dict`; raises ``KeyError``/``ValueError`` on malformed input."""
        op = data.get("operation")
        ident = data.get("identity")
        return cls(
            format_version=int(data.get("format_version", EVENT_FORMAT_VERSION)),
            id=str(data["id"]),
            timestamp=float(data["timestamp"]),
            kind=str(data["kind"]),
            source=str(data.get("source", "gateway")),
            instance=data.get("instance"),
            decision=Decision(data["decision"]),
            severity=Severity.parse(data.get("severity", "info")),  # type: ignore[arg-type]
            operation=Operation(method=op["method"], path=op["path"], operation_id=op.get("operation_id"))
            if op
            else None,
            method=data.get("method"),
            path=data.get("path"),
            status=data.get("status"),
            client_ip=data.get("client_ip"),
            user_agent=data.get("user_agent"),
            identity=Identity(
                subject=ident["subject"],
                kind=ident.get("kind", "anonymous"),
                issuer=ident.get("issuer"),
                scopes=frozenset(ident.get("scopes", ())),
                roles=frozenset(ident.get("roles", ())),
                tenant=ident.get("tenant"),
                token_fingerprint=ident.get("token_fingerprint"),
            )
            if ident
            else None,
            matched_rules=tuple(data.get("matched_rules", ())),
            reason=data.get("reason"),
            latency_ms=data.get("latency_ms"),
            request_bytes=data.get("request_bytes"),
            response_bytes=data.get("response_bytes"),
            detail=data.get("detail") or {},
        )
