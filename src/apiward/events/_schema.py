"""JSON Schema (2020-12) of the event record, for consumers that validate what they ingest."""

from __future__ import annotations

from typing import Any

from apiward.core import EVENT_FORMAT_VERSION

__all__ = ["EVENT_JSON_SCHEMA"]

_STR_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
_INT_OR_NULL: dict[str, Any] = {"type": ["integer", "null"], "minimum": 0}

EVENT_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"urn:apiward:schema:security-event:v{EVENT_FORMAT_VERSION}",
    "title": "apiward SecurityEvent",
    "type": "object",
    "additionalProperties": False,
    "required": ["format_version", "id", "timestamp", "kind", "decision", "severity"],
    "properties": {
        "format_version": {"const": EVENT_FORMAT_VERSION},
        "id": {"type": "string", "minLength": 1},
        "timestamp": {"type": "number"},
        "kind": {"enum": ["request", "detection"]},
        "source": {"type": "string"},
        "instance": _STR_OR_NULL,
        "decision": {"enum": ["allow", "deny", "log", "alert"]},
        "severity": {"enum": ["info", "low", "medium", "high", "critical"]},
        "operation": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "required": ["method", "path"],
            "properties": {"method": {"type": "string"}, "path": {"type": "string"}, "operation_id": _STR_OR_NULL},
        },
        "method": _STR_OR_NULL,
        "path": _STR_OR_NULL,
        "status": {"type": ["integer", "null"], "minimum": 100, "maximum": 599},
        "client_ip": _STR_OR_NULL,
        "user_agent": _STR_OR_NULL,
        "identity": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "required": ["subject", "kind"],
            "properties": {
                "subject": {"type": "string"},
                "kind": {"type": "string"},
                "issuer": _STR_OR_NULL,
                "scopes": {"type": "array", "items": {"type": "string"}},
                "roles": {"type": "array", "items": {"type": "string"}},
                "tenant": _STR_OR_NULL,
                "token_fingerprint": {"type": ["string", "null"], "pattern": "^sha256:[0-9a-f]{16}$"},
            },
        },
        "matched_rules": {"type": "array", "items": {"type": "string"}},
        "reason": _STR_OR_NULL,
        "latency_ms": {"type": ["number", "null"], "minimum": 0},
        "request_bytes": _INT_OR_NULL,
        "response_bytes": _INT_OR_NULL,
        "detail": {"type": "object"},
    },
}
