"""Events ingested per second by each sink, end to end (emit -> spool -> queue -> writer -> store).

    .venv/bin/python benchmarks/events_sinks.py [N]

Prints, per sink: the producer's cost per emit (what the gateway pays on its request path) and the
end-to-end rate until everything is in the store. PostgreSQL is included when 127.0.0.1:5432 answers.
Target: SQLite >= 50k events/s batched.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from apiward.core import Decision, Identity, Operation, SecurityEvent, Severity
from apiward.events import open_sink
from apiward.events._sqlite import SqliteWriter

PG = "postgresql://postgres@127.0.0.1:5432/test"


def events(n: int) -> list[SecurityEvent]:
    op = Operation(method="GET", path="/orders/{id}")
    return [
        SecurityEvent(
            kind="request",
            decision=Decision.ALLOW,
            operation=op,
            method="GET",
            path=f"/orders/{i}",
            status=200,
            client_ip=f"10.0.{i % 250}.{i % 200}",
            user_agent="bench/1.0",
            identity=Identity(subject=f"user{i % 500}", kind="jwt", token_fingerprint=f"sha256:{i % 500:016x}"),
            severity=Severity.INFO,
            latency_ms=3.2,
            response_bytes=1234,
        )
        for i in range(n)
    ]


def bench(url: str, batch: list[SecurityEvent], spool: Path) -> tuple[float, float, float]:
    """(producer us/emit with the writer idle, store ingestion events/s, end-to-end events/s)."""
    sink = open_sink(url, spool_dir=spool / "a", max_queue=len(batch) + 1, batch_size=5000)
    started = time.perf_counter()
    for e in batch:
        sink.emit(e)
    per_emit = (time.perf_counter() - started) / len(batch) * 1e6
    drain_start = time.perf_counter()
    sink.start_sync()  # the queue is full: this measures what the store ingests
    ok = sink.flush_sync(300)
    ingest = len(batch) / (time.perf_counter() - drain_start)
    sink.close()
    if not ok or sink.stats.dropped:
        raise SystemExit(f"{url}: not flushed ({sink.stats})")
    sink = open_sink(url, spool_dir=spool / "b", max_queue=len(batch) + 1, batch_size=5000)
    sink.start_sync()
    started = time.perf_counter()
    for e in batch:
        sink.emit(e)
    ok = sink.flush_sync(300)
    end_to_end = len(batch) / (time.perf_counter() - started)
    sink.close()
    return per_emit, ingest, end_to_end


def calibration() -> float:
    """Seconds for a fixed pure-Python loop: ~0.15 s on an idle modern core; more means a loaded machine."""
    started = time.perf_counter()
    sum(range(10_000_000))
    return time.perf_counter() - started


def store_only(path: Path, batch: list[SecurityEvent]) -> tuple[float, float]:
    """The SQLite writer alone, batches of 5000 with pre-serialised docs: (events/s wall, events/s CPU).

    The CPU-time figure (this thread's CPU seconds) estimates an idle core's capacity when the machine
    is shared; the wall-clock figure is what this run actually got.
    """
    from apiward.events._encode import encode

    docs = [encode(e) for e in batch]
    writer = SqliteWriter(path)
    writer.open()
    wall, cpu = time.perf_counter(), time.thread_time()
    for i in range(0, len(batch), 5000):
        writer.write(batch[i : i + 5000], docs[i : i + 5000])
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    writer.close()
    return len(batch) / wall, len(batch) / cpu


def emit_cpu(batch: list[SecurityEvent], spool: Path) -> float:
    """CPU microseconds per ``emit`` (serialise + spool append + queue), writer idle."""
    sink = open_sink(f"jsonl://{spool}/cpu.jsonl", spool_dir=spool / "cpu", max_queue=len(batch) + 1)
    cpu = time.thread_time()
    for e in batch:
        sink.emit(e)
    cpu = time.thread_time() - cpu
    sink.close(timeout_s=0)
    return cpu / len(batch) * 1e6


def udp_sink() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)

    def drain() -> None:
        while True:
            sock.recv(65536)

    threading.Thread(target=drain, daemon=True).start()
    return int(sock.getsockname()[1])


def pg_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=0.5).close()
        return True
    except OSError:
        return False


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    batch = events(n)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        sinks = [
            ("jsonl", f"jsonl://{d}/e.jsonl"),
            ("ecs+jsonl", f"ecs+jsonl://{d}/ecs.jsonl"),
            ("ocsf+jsonl", f"ocsf+jsonl://{d}/ocsf.jsonl"),
            ("sqlite", f"sqlite://{d}/e.sqlite"),
            ("syslog+udp", f"syslog+udp://127.0.0.1:{udp_sink()}"),
        ]
        table = f"apiward_bench_{uuid.uuid4().hex[:8]}"
        if pg_up():
            sinks.append(("postgresql", f"{PG}?table={table}"))
        print(f"{n} events per sink; CPU calibration {calibration():.2f}s (idle core ~0.15s); load {os.getloadavg()}")
        print(f"{'sink':<12} {'emit us/event':>14} {'store ingest ev/s':>18} {'end-to-end ev/s':>16}")
        results = {}
        for name, url in sinks:
            per_emit, ingest, e2e = bench(url, batch, d / f"spool-{name}")
            results[name] = ingest
            print(f"{name:<12} {per_emit:>14.2f} {ingest:>18,.0f} {e2e:>16,.0f}")
        raw_wall, raw_cpu = store_only(d / "raw.sqlite", batch)
        print(f"sqlite writer alone (batches of 5000): {raw_wall:,.0f} events/s wall, {raw_cpu:,.0f} events/s of CPU")
        print(f"emit() cost: {emit_cpu(batch, d):.1f} us of CPU per event (serialise + spool write + queue)")
        print(
            f"SQLite store ingestion vs target 50k/s: {results['sqlite'] / 50_000:.2f}x wall, "
            f"{raw_cpu / 50_000:.2f}x per CPU-second"
        )
        if "postgresql" in results:
            import psycopg

            with psycopg.connect(PG, autocommit=True) as conn:
                conn.execute(f"DROP TABLE IF EXISTS {table}")


if __name__ == "__main__":
    main()
