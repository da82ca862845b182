"""The indexed columns every table store keeps beside the full JSON record (one definition for all stores)."""

from __future__ import annotations

from typing import Any

from apiward.core import SecurityEvent
from apiward.events._encode import encode

__all__ = ["COLUMNS", "row"]

#: (name, SQLite type, PostgreSQL type) — ``doc`` holds the whole versioned record.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "TEXT PRIMARY KEY", "text PRIMARY KEY"),
    ("ts", "REAL NOT NULL", "timestamptz NOT NULL"),
    ("kind", "TEXT NOT NULL", "text NOT NULL"),
    ("decision", "TEXT NOT NULL", "text NOT NULL"),
    ("severity", "TEXT NOT NULL", "text NOT NULL"),
    ("operation", "TEXT", "text"),
    ("method", "TEXT", "text"),
    ("path", "TEXT", "text"),
    ("status", "INTEGER", "integer"),
    ("client_ip", "TEXT", "text"),
    ("subject", "TEXT", "text"),
    ("token_fp", "TEXT", "text"),
    ("doc", "TEXT NOT NULL", "jsonb NOT NULL"),
)
#: Columns with an index (the query filters).
INDEXED = ("ts", "subject", "client_ip", "token_fp")


def row(event: SecurityEvent, doc: bytes | None = None) -> tuple[Any, ...]:
    """The column values; ``doc`` is the event's serialised record when the caller has it already."""
    ident = event.identity
    return (
        event.id,
        event.timestamp,
        event.kind,
        event.decision.value,
        event.severity.label,
        event.operation.key if event.operation else None,
        event.method,
        event.path,
        event.status,
        event.client_ip,
        ident.subject if ident else None,
        ident.token_fingerprint if ident else None,
        (doc or encode(event)).decode(),
    )
