"""PostgreSQL (psycopg 3): batches go in with ``COPY`` to a staging table, then ``INSERT … ON CONFLICT DO NOTHING``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import psycopg
from psycopg import sql

from apiward.core import ConfigError, SecurityEvent
from apiward.events._columns import COLUMNS, INDEXED, row

__all__ = ["PostgresWriter", "create_table", "valid_table"]

_TABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def valid_table(name: str) -> str:
    if not _TABLE_RE.match(name):
        raise ConfigError(f"invalid PostgreSQL table name {name!r} (letters, digits, underscore; max 63)")
    return name


def create_table(conn: psycopg.Connection[object], table: str) -> None:
    cols = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type)) for name, _, pg_type in COLUMNS
    )
    with conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(sql.Identifier(table), cols))
        for col in INDEXED:
            cur.execute(
                sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                    sql.Identifier(f"{table}_{col}"), sql.Identifier(table), sql.Identifier(col)
                )
            )
    conn.commit()


class PostgresWriter:
    def __init__(self, dsn: str, *, table: str = "apiward_events", display: str = "postgresql") -> None:
        self._dsn = dsn
        self.table = valid_table(table)
        self.name = f"{display}#{table}"
        self._conn: psycopg.Connection[object] | None = None
        self._stage = f"_stage_{table}"[:63]
        names = sql.SQL(", ").join(sql.Identifier(name) for name, _, _ in COLUMNS)
        self._copy = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(self._stage), names)
        self._merge = sql.SQL("INSERT INTO {} SELECT * FROM {} ON CONFLICT (id) DO NOTHING").format(
            sql.Identifier(self.table), sql.Identifier(self._stage)
        )

    def open(self) -> None:
        self._open()

    def _open(self) -> psycopg.Connection[object]:
        conn = self._conn = psycopg.connect(self._dsn, connect_timeout=5)
        create_table(conn, self.table)
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} (LIKE {}) ON COMMIT DELETE ROWS").format(
                    sql.Identifier(self._stage), sql.Identifier(self.table)
                )
            )
        conn.commit()
        return conn

    def write(self, batch: Sequence[SecurityEvent], docs: Sequence[bytes] = ()) -> None:
        conn = self._conn if self._conn is not None else self._open()
        try:
            with conn.cursor() as cur:
                with cur.copy(self._copy) as copy:
                    for i, event in enumerate(batch):
                        values = list(row(event, docs[i] if docs else None))
                        values[1] = dt.datetime.fromtimestamp(values[1], dt.UTC)
                        copy.write_row(values)
                cur.execute(self._merge)
            conn.commit()
        except BaseException:
            if not conn.closed:
                conn.rollback()
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
