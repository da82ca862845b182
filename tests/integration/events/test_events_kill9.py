"""An event the producer has accepted survives a kill -9: the restarted sink replays the spool."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import psycopg
import pytest

from apiward.events import open_sink

CHILD = textwrap.dedent(
    """
    import sys, time
    from apiward.core import Decision, Identity, SecurityEvent
    from apiward.events import open_sink

    url, count, start = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
    sink = open_sink(url, spool_dir=sys.argv[4], max_queue=100)
    if start:
        sink.start_sync()
    for i in range(count):
        sink.emit(SecurityEvent(kind="request", decision=Decision.ALLOW, path=f"/p/{i}",
                                identity=Identity(subject="u"), id=f"ev{i:06d}"))
    print("accepted", count, flush=True)
    time.sleep(60)
    """
)


def _run_and_kill(url: str, count: int, start_writer: bool, spool: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "src")}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(count), "1" if start_writer else "0", str(spool)],
        stdout=subprocess.PIPE,
        env=env,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.split() == [b"accepted", str(count).encode()]
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    child.stdout.close()


def _recover(url: str, spool: Path) -> None:
    sink = open_sink(url, spool_dir=spool)
    sink.start_sync()
    assert sink.flush_sync(30), sink.stats
    sink.close()


@pytest.mark.parametrize("start_writer", [True, False], ids=["writer-running", "writer-never-ran"])
def test_kill9_sqlite(tmp_path: Path, start_writer: bool) -> None:
    db = tmp_path / "events.sqlite"
    url = f"sqlite://{db}"
    _run_and_kill(url, 3000, start_writer, tmp_path / "spool")
    _recover(url, tmp_path / "spool")
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("select id from events")]
    assert sorted(ids) == [f"ev{i:06d}" for i in range(3000)]  # every accepted event, once


def test_kill9_postgres(tmp_path: Path, postgres_dsn: str) -> None:
    table = f"apiward_kill_{uuid.uuid4().hex[:10]}"
    url = f"{postgres_dsn}?table={table}"
    try:
        _run_and_kill(url, 2000, True, tmp_path / "spool")
        _recover(url, tmp_path / "spool")
        with psycopg.connect(postgres_dsn) as conn:
            ids = [r[0] for r in conn.execute(f"select id from {table}")]
        assert sorted(ids) == [f"ev{i:06d}" for i in range(2000)]
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {table}")


def test_kill9_jsonl_is_at_least_once(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    _run_and_kill(f"jsonl://{path}", 1500, True, tmp_path / "spool")
    _recover(f"jsonl://{path}", tmp_path / "spool")
    sink = open_sink(f"jsonl://{path}", spool_dir=tmp_path / "spool")
    assert sink.spool_path is not None
    sink.close()
    text = path.read_text()
    assert all(f'"ev{i:06d}"' in text for i in range(1500))
