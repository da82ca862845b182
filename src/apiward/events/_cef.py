"""ArcSight Common Event Format (CEF:0) and its RFC 5424 syslog envelope."""

from __future__ import annotations

import socket

from apiward._version import __version__
from apiward.core import SecurityEvent, Severity
from apiward.events._ecs import iso

__all__ = ["FACILITIES", "syslog_message", "to_cef"]

# CEF severity 0-10
_CEF_SEVERITY = {Severity.INFO: 1, Severity.LOW: 3, Severity.MEDIUM: 5, Severity.HIGH: 8, Severity.CRITICAL: 10}
# RFC 5424 severities: 2 critical, 3 error, 4 warning, 5 notice, 6 informational
_SYSLOG_SEVERITY = {Severity.INFO: 6, Severity.LOW: 5, Severity.MEDIUM: 4, Severity.HIGH: 3, Severity.CRITICAL: 2}
FACILITIES = {"auth": 4, "authpriv": 10, "security": 13, "local0": 16, "local4": 20, "local7": 23, "user": 1}
_HOST = socket.gethostname() or "-"


def _header(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def _ext(value: object) -> str:
    text = str(value)
    return text.replace("\\", "\\\\").replace("=", "\\=").replace("\r", "\\r").replace("\n", "\\n")


def to_cef(event: SecurityEvent) -> str:
    """``CEF:0|apiward|apiward|ver|signature|name|sev|extensions`` with standard extension keys."""
    signature = event.matched_rules[0] if event.matched_rules else f"{event.kind}:{event.decision.value}"
    name = event.reason or f"{event.kind} {event.decision.value}"
    ext: list[tuple[str, object]] = [
        ("rt", int(event.timestamp * 1000)),
        ("externalId", event.id),
        ("cat", event.kind),
        ("act", event.decision.value),
    ]
    optional: list[tuple[str, object | None]] = [
        ("src", event.client_ip),
        ("requestMethod", event.method),
        ("request", event.path),
        ("requestClientApplication", event.user_agent),
        ("suser", event.identity.subject if event.identity else None),
        ("cs1Label", "operation" if event.operation else None),
        ("cs1", event.operation.key if event.operation else None),
        ("cs2Label", "tokenFingerprint" if event.identity and event.identity.token_fingerprint else None),
        ("cs2", event.identity.token_fingerprint if event.identity else None),
        ("cs3Label", "rules" if event.matched_rules else None),
        ("cs3", ",".join(event.matched_rules) or None),
        ("cn1Label", "status" if event.status is not None else None),
        ("cn1", event.status),
        ("in", event.request_bytes),
        ("out", event.response_bytes),
        ("reason", event.reason),
        ("dvchost", event.instance),
    ]
    ext.extend((k, v) for k, v in optional if v is not None)
    extension = " ".join(f"{k}={_ext(v)}" for k, v in ext)
    head = "|".join(
        _header(x)
        for x in ("CEF:0", "apiward", "apiward", __version__, signature, name, str(_CEF_SEVERITY[event.severity]))
    )
    return f"{head}|{extension}"


def syslog_message(event: SecurityEvent, *, facility: int, app: str = "apiward") -> bytes:
    """RFC 5424: ``<PRI>1 TIMESTAMP HOST APP PROCID MSGID - CEF...`` (no structured data)."""
    pri = facility * 8 + _SYSLOG_SEVERITY[event.severity]
    msgid = "detection" if event.kind == "detection" else "request"
    return f"<{pri}>1 {iso(event.timestamp)} {_HOST} {app} - {msgid} - {to_cef(event)}".encode()
