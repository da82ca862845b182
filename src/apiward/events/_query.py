"""Reading the audit trail back: ``EventQuery`` filters and ``open_store(url)`` for SQLite, JSONL and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import orjson

from apiward.core import BackendError, ConfigError, Decision, InputError, SecurityEvent, redact_url

__all__ = ["EventQuery", "EventStore", "open_store"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventQuery:
    """All given filters must hold (AND). ``principal`` matches the subject, the token fingerprint or the IP."""

    subject: str | None = None
    client_ip: str | None = None
    token_fp: str | None = None
    operation: str | None = None  # "GET /users/{id}"
    decision: Decision | None = None
    kind: str | None = None
    principal: str | None = None
    since: float | None = None
    until: float | None = None
    limit: int | None = 1000

    def matches(self, e: SecurityEvent) -> bool:
        ident = e.identity
        subject = ident.subject if ident else None
        token = ident.token_fingerprint if ident else None
        checks = (
            (self.subject, subject),
            (self.client_ip, e.client_ip),
            (self.token_fp, token),
            (self.operation, e.operation.key if e.operation else None),
            (self.kind, e.kind),
        )
        if any(want is not None and want != got for want, got in checks):
            return False
        if self.decision is not None and e.decision is not self.decision:
            return False
        if self.principal is not None and self.principal not in (subject, token, e.client_ip):
            return False
        if self.since is not None and e.timestamp < self.since:
            return False
        return not (self.until is not None and e.timestamp >= self.until)

    def where(self, placeholder: str, *, ts_as_datetime: bool = False) -> tuple[str, list[Any]]:
        """SQL ``WHERE`` clause over :mod:`apiward.events._columns` with bound parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("subject", self.subject),
            ("client_ip", self.client_ip),
            ("token_fp", self.token_fp),
            ("operation", self.operation),
            ("kind", self.kind),
            ("decision", self.decision.value if self.decision else None),
        ):
            if value is not None:
                clauses.append(f"{column} = {placeholder}")
                params.append(value)
        if self.principal is not None:
            clauses.append(f"(subject = {placeholder} OR token_fp = {placeholder} OR client_ip = {placeholder})")
            params.extend([self.principal] * 3)

        def ts(value: float) -> Any:
            return dt.datetime.fromtimestamp(value, dt.UTC) if ts_as_datetime else value

        if self.since is not None:
            clauses.append(f"ts >= {placeholder}")
            params.append(ts(self.since))
        if self.until is not None:
            clauses.append(f"ts < {placeholder}")
            params.append(ts(self.until))
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


class EventStore(Protocol):
    name: str

    def query(self, q: EventQuery) -> list[SecurityEvent]:
        """Matching events in time order (oldest first), at most ``q.limit`` (the most recent ones)."""
        ...

    def purge(self, before: float) -> int:
        """Delete events older than ``before`` (retention); return how many. Raises ``ConfigError`` if unsupported."""
        ...

    def close(self) -> None: ...


def _decode(raw: str | bytes | dict[str, Any], where: str) -> SecurityEvent:
    try:
        data = raw if isinstance(raw, dict) else orjson.loads(raw)
        return SecurityEvent.from_dict(data)
    except (orjson.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
        raise InputError(f"not an apiward event: {exc}", source=where) from exc


class SqliteStore:
    def __init__(self, path: Path) -> None:
        from apiward.events._sqlite import connect_sqlite

        self.name = f"sqlite:{path}"
        self._conn = connect_sqlite(path, create=False)

    def query(self, q: EventQuery) -> list[SecurityEvent]:
        where, params = q.where("?")
        limit = f" LIMIT {int(q.limit)}" if q.limit else ""
        sql = f"SELECT doc FROM events{where} ORDER BY ts DESC{limit}"  # noqa: S608 - bound parameters
        import sqlite3

        try:
            rows = self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise BackendError(f"{self.name}: {exc}") from exc
        return [_decode(r[0], self.name) for r in reversed(rows)]

    def purge(self, before: float) -> int:
        import sqlite3

        try:
            with self._conn:
                deleted = self._conn.execute("DELETE FROM events WHERE ts < ?", (before,)).rowcount
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise BackendError(f"{self.name}: {exc}") from exc
        return int(deleted)

    def close(self) -> None:
        self._conn.close()


class JsonlStore:
    """Scans the file and its rotated backups (``f.N`` … ``f.1``, ``f``) — fine for forensics, not for volume."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise BackendError(f"no event file at {path}")
        self.name = f"jsonl:{path}"
        self.path = path

    def _files(self) -> list[Path]:
        backups = sorted(
            (p for p in self.path.parent.glob(self.path.name + ".*") if p.suffix[1:].isdigit()),
            key=lambda p: -int(p.suffix[1:]),
        )
        return [*backups, self.path]

    def iter_all(self) -> Iterator[SecurityEvent]:
        for file in self._files():
            with file.open("rb") as fh:
                for lineno, line in enumerate(fh, 1):
                    if line.strip():
                        yield _decode(line, f"{file}:{lineno}")

    def query(self, q: EventQuery) -> list[SecurityEvent]:
        found = sorted((e for e in self.iter_all() if q.matches(e)), key=lambda e: e.timestamp)
        return found[-q.limit :] if q.limit else found

    def purge(self, before: float) -> int:
        raise ConfigError("JSONL files are rotated by size (max_bytes, backups), not purged", source=self.name)

    def close(self) -> None:
        return None


class PostgresStore:
    def __init__(self, dsn: str, table: str) -> None:
        import psycopg

        from apiward.events._postgres import valid_table

        self.table = valid_table(table)
        self.name = f"postgresql#{table}"
        try:
            self._conn = psycopg.connect(dsn, connect_timeout=5, autocommit=True)
        except psycopg.Error as exc:
            raise BackendError(f"cannot connect to PostgreSQL: {exc}") from exc

    def query(self, q: EventQuery) -> list[SecurityEvent]:
        import psycopg
        from psycopg import sql

        where, params = q.where("%s", ts_as_datetime=True)
        limit = f" LIMIT {int(q.limit)}" if q.limit else ""
        query = "SELECT doc FROM {}" + where + " ORDER BY ts DESC" + limit  # noqa: S608 - bound parameters
        stmt = sql.SQL(query).format(sql.Identifier(self.table))
        try:
            rows = self._conn.execute(stmt, params).fetchall()
        except psycopg.Error as exc:
            raise BackendError(f"{self.name}: {exc}") from exc
        return [_decode(r[0], self.name) for r in reversed(rows)]

    def purge(self, before: float) -> int:
        import psycopg
        from psycopg import sql

        stmt = sql.SQL("DELETE FROM {} WHERE ts < %s").format(sql.Identifier(self.table))
        try:
            cur = self._conn.execute(stmt, [dt.datetime.fromtimestamp(before, dt.UTC)])
        except psycopg.Error as exc:
            raise BackendError(f"{self.name}: {exc}") from exc
        return int(cur.rowcount)

    def close(self) -> None:
        self._conn.close()


def open_store(url: str) -> EventStore:
    """A readable store: ``sqlite:///f``, ``jsonl:///f`` (native records) or ``postgresql://…?table=``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("sqlite", "jsonl"):
        if parts.netloc not in ("", "localhost") or not parts.path:
            raise ConfigError("expected scheme:///absolute/path", source=url)
        path = Path(unquote(parts.path))
        return SqliteStore(path) if scheme == "sqlite" else JsonlStore(path)
    if scheme in ("postgresql", "postgres"):
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        table = dict(pairs).get("table", "apiward_events")
        rest = [(k, v) for k, v in pairs if k not in ("table", "spool", "queue", "batch", "fsync")]
        return PostgresStore(urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(rest), "")), table)
    if not scheme and url:
        path = Path(url)
        return SqliteStore(path) if path.suffix in (".sqlite", ".db", ".sqlite3") else JsonlStore(path)
    raise ConfigError(f"cannot query {scheme!r} stores; use sqlite, jsonl or postgresql", source=redact_url(url))
