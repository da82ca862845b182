"""The latency the behavioural detectors add per request, in memory and with Redis.

    .venv/bin/python benchmarks/detectors.py

Replays the generated traffic (normal users + attackers) through ``BehaviourMonitor`` and prints the
mean / p50 / p99 added per request, against a baseline of the same loop with no detectors (metrics
only), plus what was detected.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import time
import uuid
from collections import Counter

from apiward.analytics import BehaviourMonitor, generate
from apiward.core import SecurityEvent
from apiward.state import MemoryBackend, RedisBackend, StateBackend


async def replay(monitor: BehaviourMonitor, events: list[SecurityEvent]) -> tuple[list[float], Counter[str]]:
    timings: list[float] = []
    fired: Counter[str] = Counter()
    for event in events:
        started = time.perf_counter()
        alerts = await monitor.observe(event)
        timings.append((time.perf_counter() - started) * 1e6)
        fired.update(a.matched_rules[0] for a in alerts)
    return timings, fired


def line(name: str, timings: list[float], base: float | None = None) -> str:
    q = statistics.quantiles(timings, n=100)
    mean = statistics.fmean(timings)
    extra = f"  ({mean / base:.1f}x the no-detector loop)" if base else ""
    return f"{name:<26} mean {mean:8.1f} us   p50 {q[49]:8.1f} us   p99 {q[98]:8.1f} us{extra}"


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


async def main() -> None:
    scenario = generate(users=40, duration_s=1800)
    events = scenario.events
    print(
        f"{len(events)} events ({len(scenario.normal)} normal users, {len(scenario.attackers)} attackers); "
        f"load {os.getloadavg()}"
    )
    base_timings, _ = await replay(BehaviourMonitor(MemoryBackend(), detectors=[]), events)
    base = statistics.fmean(base_timings)
    print(line("no detectors (baseline)", base_timings))
    timings, fired = await replay(BehaviourMonitor(MemoryBackend()), events)
    print(line("8 detectors, memory", timings, base))
    print(f"{'':<26} detections: {dict(sorted(fired.items()))}")
    if redis_up():
        state: StateBackend = RedisBackend("redis://127.0.0.1:6379/15", prefix=f"apiward-bench-{uuid.uuid4().hex[:8]}:")
        small = events[: min(len(events), 3000)]
        timings, _ = await replay(BehaviourMonitor(state), small)
        print(line("8 detectors, Redis (conc.)", timings, base))
        timings, _ = await replay(BehaviourMonitor(state, concurrent=False), small)
        print(line("8 detectors, Redis (seq.)", timings, base))
        await state.aclose()
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url("redis://127.0.0.1:6379/15")
        keys = [k async for k in client.scan_iter(match="apiward-bench-*", count=1000)]
        for i in range(0, len(keys), 500):
            await client.delete(*keys[i : i + 500])
        await client.aclose()


if __name__ == "__main__":
    asyncio.run(main())
