"""Elastic Common Schema (ECS 8.x) rendering of a ``SecurityEvent`` for Elastic, OpenSearch and friends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from apiward._version import __version__
from apiward.core import Decision, SecurityEvent, Severity

__all__ = ["ECS_VERSION", "to_ecs"]

ECS_VERSION = "8.11.0"

_OUTCOME = {Decision.ALLOW: "success", Decision.DENY: "failure", Decision.LOG: "unknown", Decision.ALERT: "unknown"}
_SEVERITY = {Severity.INFO: 1, Severity.LOW: 21, Severity.MEDIUM: 47, Severity.HIGH: 73, Severity.CRITICAL: 99}


def iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_ecs(event: SecurityEvent) -> dict[str, Any]:
    """One ECS document; the full apiward record rides along under ``apiward``."""
    doc: dict[str, Any] = {
        "@timestamp": iso(event.timestamp),
        "ecs": {"version": ECS_VERSION},
        "event": {
            "id": event.id,
            "kind": "alert" if event.kind == "detection" else "event",
            "category": ["intrusion_detection" if event.kind == "detection" else "web"],
            "type": ["denied"] if event.decision is Decision.DENY else ["info"],
            "action": event.reason or event.kind,
            "outcome": _OUTCOME[event.decision],
            "severity": _SEVERITY[event.severity],
            "module": "apiward",
            "provider": event.source,
        },
        "observer": {"product": "apiward", "vendor": "apiward", "version": __version__, "type": "waf"},
        "apiward": event.to_dict(),
    }
    if event.latency_ms is not None:
        doc["event"]["duration"] = int(event.latency_ms * 1_000_000)
    http: dict[str, Any] = {}
    if event.method:
        http["request"] = {"method": event.method}
        if event.request_bytes is not None:
            http["request"]["bytes"] = event.request_bytes
    if event.status is not None or event.response_bytes is not None:
        http["response"] = {
            k: v for k, v in (("status_code", event.status), ("bytes", event.response_bytes)) if v is not None
        }
    if http:
        doc["http"] = http
    if event.path:
        doc["url"] = {"path": event.path}
    if event.client_ip:
        doc["source"] = {"ip": event.client_ip}
        doc["client"] = {"ip": event.client_ip}
    if event.user_agent:
        doc["user_agent"] = {"original": event.user_agent}
    if event.identity is not None:
        user: dict[str, Any] = {"name": event.identity.subject}
        if event.identity.roles:
            user["roles"] = sorted(event.identity.roles)
        if event.identity.tenant:
            user["domain"] = event.identity.tenant
        doc["user"] = user
    if event.matched_rules:
        doc["rule"] = {"id": ",".join(event.matched_rules), "name": event.matched_rules[0]}
    if event.instance:
        doc["host"] = {"name": event.instance}
    return doc
