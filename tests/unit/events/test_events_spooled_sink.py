"""The non-blocking front of every sink: queue, spool, replay, back-pressure."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import orjson
import pytest

from apiward.core import ConfigError, Decision, Identity, Operation, SecurityEvent
from apiward.events import EventSink, MemorySink, Recorder, SpooledSink, open_sink


def make_event(i: int = 0, **kw: object) -> SecurityEvent:
    base: dict[str, object] = {
        "kind": "request",
        "decision": Decision.ALLOW,
        "operation": Operation(method="GET", path="/users/{id}"),
        "method": "GET",
        "path": f"/users/{i}",
        "status": 200,
        "client_ip": "10.0.0.1",
        "identity": Identity(subject="alice", kind="jwt", token_fingerprint="sha256:abcd"),
        "timestamp": 1_700_000_000.0 + i,
    }
    base.update(kw)
    return SecurityEvent(**base)  # type: ignore[arg-type]


class Gate:
    """A writer that blocks until released, then records; can be told to fail."""

    name = "gate"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.fail = False
        self.failures = 0
        self.failed_twice = threading.Event()
        self.written: list[SecurityEvent] = []

    def open(self) -> None:
        pass

    def write(self, batch: Sequence[SecurityEvent], docs: Sequence[bytes] = ()) -> None:
        self.release.wait(10)
        if self.fail:
            self.failures += 1
            if self.failures >= 2:
                self.failed_twice.set()
            raise ConnectionError("store down")
        self.written.extend(batch)

    def close(self) -> None:
        pass


def test_sinks_satisfy_the_protocol(tmp_path: Path) -> None:
    sink = open_sink(f"jsonl://{tmp_path}/e.jsonl")
    assert isinstance(sink, EventSink)
    assert isinstance(Recorder([sink]), EventSink)
    sink.close()


async def test_full_queue_spills_to_the_spool_and_loses_nothing(tmp_path: Path) -> None:
    gate = Gate()
    sink = SpooledSink(gate, spool_dir=tmp_path, spool_name="g", max_queue=5, batch_size=3)
    await sink.start()
    for i in range(50):
        sink.emit(make_event(i))
    assert sink.stats.accepted == 50
    assert sink.stats.spilled > 0
    assert sink.stats.dropped == 0
    gate.release.set()
    assert await sink.flush(10)
    await sink.aclose()
    assert [e.path for e in gate.written] == [f"/users/{i}" for i in range(50)]


async def test_no_spool_drops_newest_when_full(tmp_path: Path) -> None:
    gate = Gate()
    sink = SpooledSink(gate, spool_dir=None, spool_name="g", max_queue=5, batch_size=100)
    for i in range(8):
        sink.emit(make_event(i))
    assert sink.stats.dropped == 3
    gate.release.set()
    await sink.start()
    await sink.aclose()
    assert len(gate.written) == 5


async def test_store_down_then_back_delivers_in_order(tmp_path: Path) -> None:
    gate = Gate()
    gate.fail = True
    gate.release.set()
    sink = SpooledSink(gate, spool_dir=tmp_path, spool_name="g", max_queue=100, retry_max_s=0.05)
    await sink.start()
    for i in range(10):
        sink.emit(make_event(i))
    assert await asyncio.to_thread(gate.failed_twice.wait, 10)
    gate.fail = False
    assert await sink.flush(10)
    await sink.aclose()
    assert [e.path for e in gate.written] == [f"/users/{i}" for i in range(10)]


def test_unstarted_sink_keeps_events_for_the_next_start(tmp_path: Path) -> None:
    store = tmp_path / "ev.sqlite"
    sink = open_sink(f"sqlite://{store}")
    for i in range(7):
        sink.emit(make_event(i))
    sink.close()  # never started: nothing written, all spooled
    again = open_sink(f"sqlite://{store}")
    again.start_sync()
    assert again.flush_sync(10)
    again.close()
    assert again.stats.replayed == 7
    with sqlite3.connect(store) as conn:
        assert conn.execute("select count(*) from events").fetchone()[0] == 7


def test_torn_and_corrupt_spool_lines_are_skipped(tmp_path: Path) -> None:
    gate = Gate()
    gate.release.set()
    spool = tmp_path / "g.spool"
    good = orjson.dumps(make_event(1).to_dict()) + b"\n"
    spool.write_bytes(good + b"{not json}\n" + good.replace(b'"/users/1"', b'"/users/2"') + b'{"torn')
    sink = SpooledSink(gate, spool_dir=tmp_path, spool_name="g")
    sink.start_sync()
    assert sink.flush_sync(10)
    sink.close()
    assert [e.path for e in gate.written] == ["/users/1", "/users/2"]
    assert sink.stats.corrupt == 1


def test_two_sinks_for_one_store_take_separate_spool_slots(tmp_path: Path) -> None:
    """A gateway reload opens the new pipeline's sink while the old one drains."""
    url = f"sqlite://{tmp_path}/e.sqlite"
    first = open_sink(url)
    second = open_sink(url)
    assert first.spool_path != second.spool_path
    for i in range(3):
        first.emit(make_event(i))
        second.emit(make_event(10 + i))
    first.close()  # never started: both keep their events spooled, as after a crash
    second.close()
    third = open_sink(url)  # adopts the orphaned slot and replays both
    third.start_sync()
    assert third.flush_sync(10)
    third.close()
    assert third.stats.replayed == 6
    with sqlite3.connect(tmp_path / "e.sqlite") as conn:
        assert conn.execute("select count(*) from events").fetchone()[0] == 6


def test_emit_never_raises_on_unserialisable_detail(tmp_path: Path) -> None:
    sink = open_sink(f"jsonl://{tmp_path}/e.jsonl")
    sink.emit(make_event(detail={"x": object()}))
    assert sink.stats.dropped == 1
    sink.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://x", "unknown event sink scheme"),
        ("jsonl://host/x", "absolute/path"),
        ("jsonl:///tmp/x.jsonl?queue=abc", "integer"),
        ("jsonl:///tmp/x.jsonl?bogus=1", "unknown option"),
        ("syslog+udp://h:514?facility=nope", "facility"),
        ("postgresql://u@h/db?table=bad-name", "table name"),
        ("syslog+tcp://h:notaport", "invalid port"),
        ("syslog+tls://h?key=/k.pem", "needs cert"),
        ("syslog+tls://h?ca=/nonexistent/ca.pem", "CA file"),
        ("webhook+https://h/x?token_env=APIWARD_SURELY_UNSET_VAR", "not set"),
    ],
)
def test_bad_urls_are_config_errors(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        open_sink(url, spool_dir=None)


async def test_recorder_fans_out_and_isolates_failures() -> None:
    class Broken(MemorySink):
        def emit(self, event: SecurityEvent) -> None:
            raise RuntimeError("boom")

    a, b = MemorySink(), MemorySink()
    rec = Recorder([a, Broken(), b])
    await rec.start()
    rec.emit(make_event())
    await rec.aclose()
    assert len(a.events) == len(b.events) == 1


def test_encode_equals_to_dict() -> None:
    from apiward.events._encode import encode

    event = make_event(
        3,
        identity=Identity(subject="s", kind="jwt", scopes=frozenset({"b", "a"}), roles=frozenset({"r"})),
        matched_rules=("R1", "R2"),
        detail={"nested": {"k": [1, 2]}, "token": "abc"},
    )
    assert encode(event) == orjson.dumps(event.to_dict())
    bare = SecurityEvent(kind="request", decision=Decision.DENY)
    assert encode(bare) == orjson.dumps(bare.to_dict())


def test_every_event_validates_against_the_published_schema() -> None:
    import fastjsonschema

    from apiward.analytics import BehaviourMonitor, generate
    from apiward.events import EVENT_JSON_SCHEMA

    validate = fastjsonschema.compile(EVENT_JSON_SCHEMA)
    scenario = generate(users=3, duration_s=1800, seed=9)
    monitor = BehaviourMonitor()

    async def alerts() -> list[SecurityEvent]:
        found: list[SecurityEvent] = []
        for e in scenario.events:
            found.extend(await monitor.observe(e))
        return found

    detections = asyncio.run(alerts())
    assert detections
    for event in [*scenario.events, *detections, SecurityEvent(kind="request", decision=Decision.LOG)]:
        validate(orjson.loads(orjson.dumps(event.to_dict())))
    with pytest.raises(fastjsonschema.JsonSchemaException):
        validate({**make_event().to_dict(), "decision": "maybe"})


def test_close_with_a_stuck_store_keeps_the_spool(tmp_path: Path) -> None:
    gate = Gate()  # never released: the store hangs
    sink = SpooledSink(gate, spool_dir=tmp_path, spool_name="g")
    sink.start_sync()
    sink.emit(make_event(1))
    sink.close(timeout_s=0.2)
    assert sink.spool_path is not None
    assert b'"/users/1"' in sink.spool_path.read_bytes()  # undelivered, still spooled for the next start
    gate.release.set()
