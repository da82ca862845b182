"""The one serialisation of a ``SecurityEvent``: compact JSON equal to ``orjson.dumps(event.to_dict())``.

Built field by field rather than through ``to_dict()``: this runs on the gateway's request path for
every event, and skipping the intermediate method calls and copies halves its cost. A test keeps the
two byte-for-byte equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from apiward.core import SecurityEvent

__all__ = ["encode"]

_OPTIONS = orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def encode(event: SecurityEvent) -> bytes:
    """Compact JSON, no trailing newline. Raises ``TypeError`` on a detail value JSON cannot hold."""
    op = event.operation
    ident = event.identity
    return orjson.dumps(
        {
            "format_version": event.format_version,
            "id": event.id,
            "timestamp": event.timestamp,
            "kind": event.kind,
            "source": event.source,
            "instance": event.instance,
            "decision": event.decision.value,
            "severity": event.severity.label,
            "operation": {"method": op.method, "path": op.path, "operation_id": op.operation_id} if op else None,
            "method": event.method,
            "path": event.path,
            "status": event.status,
            "client_ip": event.client_ip,
            "user_agent": event.user_agent,
            "identity": {
                "subject": ident.subject,
                "kind": ident.kind,
                "issuer": ident.issuer,
                "scopes": sorted(ident.scopes) if ident.scopes else [],
                "roles": sorted(ident.roles) if ident.roles else [],
                "tenant": ident.tenant,
                "token_fingerprint": ident.token_fingerprint,
            }
            if ident
            else None,
            "matched_rules": list(event.matched_rules),
            "reason": event.reason,
            "latency_ms": event.latency_ms,
            "request_bytes": event.request_bytes,
            "response_bytes": event.response_bytes,
            "detail": event.detail,
        },
        default=_default,
        option=_OPTIONS,
    )
