"""OCSF 1.1 rendering: request events as *HTTP Activity* (4002), detections as *Detection Finding* (2004)."""

from __future__ import annotations

from typing import Any

from apiward._version import __version__
from apiward.core import Decision, SecurityEvent, Severity

__all__ = ["OCSF_VERSION", "to_ocsf"]

OCSF_VERSION = "1.1.0"

# OCSF severity_id: 1 informational, 2 low, 3 medium, 4 high, 5 critical
_SEVERITY_ID = {Severity.INFO: 1, Severity.LOW: 2, Severity.MEDIUM: 3, Severity.HIGH: 4, Severity.CRITICAL: 5}
_HTTP_ACTIVITY = {"GET": 3, "POST": 6, "PUT": 7, "DELETE": 2, "HEAD": 4, "OPTIONS": 5, "TRACE": 8, "PATCH": 99}
# action_id: 1 allowed, 2 denied, 99 other
_ACTION_ID = {Decision.ALLOW: 1, Decision.DENY: 2, Decision.LOG: 99, Decision.ALERT: 99}


def to_ocsf(event: SecurityEvent) -> dict[str, Any]:
    """One OCSF event; the apiward record is kept under ``unmapped``."""
    metadata = {
        "uid": event.id,
        "version": OCSF_VERSION,
        "product": {"name": "apiward", "vendor_name": "apiward", "version": __version__},
    }
    base: dict[str, Any] = {
        "time": int(event.timestamp * 1000),
        "severity_id": _SEVERITY_ID[event.severity],
        "severity": event.severity.label.capitalize(),
        "metadata": metadata,
        "message": event.reason or event.kind,
        "unmapped": event.to_dict(),
    }
    if event.client_ip:
        base["src_endpoint"] = {"ip": event.client_ip}
    if event.identity is not None:
        base["actor"] = {"user": {"name": event.identity.subject, "uid": event.identity.subject}}
    if event.kind == "detection":
        return {
            **base,
            "category_uid": 2,
            "class_uid": 2004,
            "activity_id": 1,
            "type_uid": 200401,
            "finding_info": {
                "uid": event.id,
                "title": event.reason or "behavioural detection",
                "analytic": {"name": ",".join(event.matched_rules) or "apiward", "type_id": 2},
            },
            "status_id": 1,
        }
    activity = _HTTP_ACTIVITY.get((event.method or "").upper(), 0)
    http_request: dict[str, Any] = {"http_method": event.method, "url": {"path": event.path}}
    if event.user_agent:
        http_request["user_agent"] = event.user_agent
    out = {
        **base,
        "category_uid": 4,
        "class_uid": 4002,
        "activity_id": activity,
        "type_uid": 400200 + activity,
        "action_id": _ACTION_ID[event.decision],
        "disposition_id": 1 if event.decision is Decision.ALLOW else 2 if event.decision is Decision.DENY else 99,
        "http_request": http_request,
    }
    if event.status is not None:
        out["http_response"] = {"code": event.status}
    if event.latency_ms is not None:
        out["duration"] = int(event.latency_ms)
    return out
