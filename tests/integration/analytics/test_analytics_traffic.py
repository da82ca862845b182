"""Replay normal users plus attackers: every attacker is detected, no normal user is flagged."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from apiward.analytics import BehaviourMonitor, MonitorSink, Remediation, Scenario, generate
from apiward.core import SecurityEvent
from apiward.events import EventQuery, open_sink, open_store
from apiward.state import MemoryBackend, RedisBackend, StateBackend


def judge(scenario: Scenario, alerts: list[SecurityEvent]) -> dict[tuple[str, str], set[str]]:
    by_principal: dict[tuple[str, str], set[str]] = defaultdict(set)
    for alert in alerts:
        p = alert.detail["principal"]
        by_principal[(p["kind"], p["value"])].add(alert.matched_rules[0])
    for attacker in scenario.attackers:
        assert attacker.expected <= by_principal[attacker.principal], attacker
    normal = {a.principal for a in scenario.normal}
    assert normal.isdisjoint(by_principal), {p: by_principal[p] for p in normal & set(by_principal)}
    return by_principal


async def run(monitor: BehaviourMonitor, scenario: Scenario) -> list[SecurityEvent]:
    alerts: list[SecurityEvent] = []
    for event in scenario.events:
        alerts.extend(await monitor.observe(event))
    return alerts


async def test_replay_in_memory_with_remediation() -> None:
    scenario = generate(users=40, duration_s=1800)
    state = MemoryBackend()
    monitor = BehaviourMonitor(state, remediation=Remediation(state))
    judge(scenario, await run(monitor, scenario))
    assert await state.blocked("ip", "203.0.113.66")
    assert await state.blocked("identity", scenario.attackers[0].name)
    assert await state.blocked("identity", scenario.normal[0].name) is None


@pytest.fixture
async def redis_state(redis_url: str) -> AsyncIterator[StateBackend]:
    prefix = f"apiward-test-{uuid.uuid4().hex[:8]}:"
    backend = RedisBackend(redis_url, prefix=prefix)
    yield backend
    await backend.aclose()
    client = aioredis.Redis.from_url(redis_url)
    keys = [k async for k in client.scan_iter(match=f"{prefix}*", count=1000)]
    for i in range(0, len(keys), 500):
        await client.delete(*keys[i : i + 500])
    await client.aclose()


async def test_replay_with_state_in_redis_shared_by_two_instances(redis_state: StateBackend) -> None:
    """Two monitors (two gateway instances) share Redis; traffic is split between them round-robin."""
    scenario = generate(users=8, duration_s=1200, seed=11)
    first, second = BehaviourMonitor(redis_state), BehaviourMonitor(redis_state)
    alerts: list[SecurityEvent] = []
    for i, event in enumerate(scenario.events):
        alerts.extend(await (first if i % 2 else second).observe(event))
    judge(scenario, alerts)


async def test_monitor_sink_records_events_and_alerts(tmp_path: Path) -> None:
    """The wiring the gateway's audit policy uses: events and alerts land in one SQLite audit trail."""
    scenario = generate(users=5, duration_s=1800, seed=3)
    db = tmp_path / "events.sqlite"
    sink = MonitorSink(BehaviourMonitor(), inner=open_sink(f"sqlite://{db}", spool_dir=tmp_path / "spool"))
    await sink.start()
    for event in scenario.events:
        sink.emit(event)
    await sink.join()
    await sink.aclose()
    assert sink.stats.skipped == 0
    store = open_store(f"sqlite://{db}")
    detections = store.query(EventQuery(kind="detection", limit=None))
    assert len(store.query(EventQuery(kind="request", limit=None))) == len(scenario.events)
    assert sink.stats.alerts == len(detections) > 0
    judge(scenario, detections)
    store.close()
