"""SQLite: the embedded default store (WAL, one transaction per batch, duplicates dropped by event id)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from apiward.core import BackendError, SecurityEvent
from apiward.events._columns import COLUMNS, INDEXED, row

__all__ = ["SqliteWriter", "connect_sqlite"]

_TABLE = "events"


def connect_sqlite(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (and create) the store with WAL and its schema; errors become :class:`BackendError`."""
    if not create and not path.exists():
        raise BackendError(f"no event store at {path}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: index pages of a large trail stay hot
        conn.execute("PRAGMA temp_store=MEMORY")
        cols = ", ".join(f"{name} {sqlite_type}" for name, sqlite_type, _ in COLUMNS)
        conn.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} ({cols})")
        for col in INDEXED:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {_TABLE}_{col} ON {_TABLE} ({col})")
    except sqlite3.Error as exc:
        raise BackendError(f"cannot open the SQLite event store {path}: {exc}") from exc
    return conn


class SqliteWriter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"sqlite:{path}"
        self._conn: sqlite3.Connection | None = None
        placeholders = ", ".join("?" for _ in COLUMNS)
        self._insert = f"INSERT OR IGNORE INTO {_TABLE} VALUES ({placeholders})"  # noqa: S608 - constant names

    def open(self) -> None:
        self._open()

    def _open(self) -> sqlite3.Connection:
        conn = self._conn = connect_sqlite(self.path)
        return conn

    def write(self, batch: Sequence[SecurityEvent], docs: Sequence[bytes] = ()) -> None:
        conn = self._conn if self._conn is not None else self._open()
        conn.execute("BEGIN")
        try:
            rows = [row(e, d) for e, d in zip(batch, docs, strict=True)] if docs else [row(e) for e in batch]
            conn.executemany(self._insert, rows)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
