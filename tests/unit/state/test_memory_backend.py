"""The in-memory state backend, driven by a fake clock (no sleeping, no timed assertions)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apiward.core import ConfigError
from apiward.state import MemoryBackend, StateBackend, open_backend
from apiward.state._rate import sliding_window_step, token_bucket_step


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def backend(clock: Clock) -> MemoryBackend:
    return MemoryBackend(clock=clock)


def test_is_a_state_backend(backend: MemoryBackend) -> None:
    assert isinstance(backend, StateBackend)
    assert isinstance(open_backend("memory://"), MemoryBackend)


def test_unknown_scheme_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="memory://"):
        open_backend("mongodb://x")


async def test_incr_ttl_set_on_create_only(backend: MemoryBackend, clock: Clock) -> None:
    assert await backend.incr("c", ttl_s=10) == 1
    clock.now += 6
    assert await backend.incr("c", 2, ttl_s=10) == 3
    clock.now += 5  # 11 s after creation: expired even though touched at 6 s
    assert await backend.get("c") is None
    assert await backend.incr("c") == 1


async def test_get_set_delete(backend: MemoryBackend, clock: Clock) -> None:
    await backend.set("k", "v", ttl_s=1)
    assert await backend.get("k") == "v"
    clock.now += 1.01
    assert await backend.get("k") is None
    await backend.set("k", "w")
    await backend.delete("k")
    assert await backend.get("k") is None


async def test_distinct_counts(backend: MemoryBackend, clock: Clock) -> None:
    assert await backend.add_distinct("s", "a", ttl_s=5) == 1
    assert await backend.add_distinct("s", "a", ttl_s=5) == 1
    assert await backend.add_distinct("s", "b", ttl_s=5) == 2
    clock.now += 5
    assert await backend.add_distinct("s", "c", ttl_s=5) == 1


async def test_token_bucket_burst_then_refill(backend: MemoryBackend, clock: Clock) -> None:
    results = [await backend.token_bucket("b", rate_per_s=1.0, burst=3) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.remaining for r in results] == [2, 1, 0, 0]
    assert results[-1].retry_after_s == pytest.approx(1.0)
    assert results[0].limit == 3
    clock.now += 1.0
    assert (await backend.token_bucket("b", rate_per_s=1.0, burst=3)).allowed


async def test_sliding_window_limit(backend: MemoryBackend, clock: Clock) -> None:
    clock.now = 1000.0  # start of a 10 s window
    results = [await backend.sliding_window("w", limit=5, window_s=10) for _ in range(6)]
    assert [r.allowed for r in results] == [True] * 5 + [False]
    assert results[4].remaining == 0
    assert results[5].retry_after_s > 0
    clock.now += results[5].retry_after_s + 0.001  # wait as told
    assert (await backend.sliding_window("w", limit=5, window_s=10)).allowed


async def test_block_list(backend: MemoryBackend, clock: Clock) -> None:
    assert await backend.blocked("ip", "10.0.0.1") is None
    await backend.block("ip", "10.0.0.1", ttl_s=60, reason="scanner")
    assert await backend.blocked("ip", "10.0.0.1") == "scanner"
    assert await backend.blocked("identity", "10.0.0.1") is None
    assert await backend.unblock("ip", "10.0.0.1") is True
    assert await backend.blocked("ip", "10.0.0.1") is None
    assert await backend.unblock("ip", "10.0.0.1") is False
    await backend.block("ip", "10.0.0.1", ttl_s=60, reason="scanner")
    clock.now += 60
    assert await backend.blocked("ip", "10.0.0.1") is None
    assert await backend.unblock("ip", "10.0.0.1") is False


async def test_sweep_bounds_memory(backend: MemoryBackend, clock: Clock) -> None:
    for i in range(5000):
        await backend.set(f"k{i}", "v", ttl_s=1)
    clock.now += 2
    for _ in range(5000):
        await backend.get("other")
    assert len(backend._values) < 100
    await backend.aclose()


@settings(max_examples=200, deadline=None)
@given(
    rate=st.floats(min_value=0.1, max_value=1000),
    burst=st.integers(min_value=1, max_value=1000),
    cost=st.integers(min_value=1, max_value=50),
    tokens=st.one_of(st.none(), st.floats(min_value=0, max_value=1000)),
    dt=st.floats(min_value=0, max_value=10_000),
)
def test_token_bucket_invariants(rate: float, burst: int, cost: int, tokens: float | None, dt: float) -> None:
    level, r = token_bucket_step(tokens, 0.0, dt, rate_per_s=rate, burst=burst, cost=cost)
    assert 0 <= level <= burst
    assert 0 <= r.remaining <= burst
    assert (r.retry_after_s == 0) == r.allowed
    assert r.reset_s >= 0


@settings(max_examples=200, deadline=None)
@given(
    limit=st.integers(min_value=1, max_value=1000),
    prev=st.integers(min_value=0, max_value=1000),
    cur=st.integers(min_value=0, max_value=1000),
    frac=st.floats(min_value=0, max_value=0.999),
    cost=st.integers(min_value=1, max_value=10),
)
def test_sliding_window_invariants(limit: int, prev: int, cur: int, frac: float, cost: int) -> None:
    allowed, r = sliding_window_step(prev, cur, frac * 10, limit=limit, window_s=10, cost=cost)
    assert 0 <= r.remaining <= limit
    assert (r.retry_after_s == 0) == allowed or (not allowed and r.retry_after_s == 0 and cost > limit)
    if allowed:
        assert prev * (1 - frac) + cur + cost <= limit + 1e-9


async def test_max_keys_bounds_memory_but_never_evicts_blocks() -> None:
    backend = MemoryBackend(max_keys=100)
    await backend.block("ip", "203.0.113.9", ttl_s=60)
    for i in range(1000):  # a client choosing many keys (object ids, IPs, tokens)
        await backend.add_distinct(f"ids:{i}", "x", ttl_s=60)
    assert len(backend) <= 100
    assert backend.evicted >= 900
    assert await backend.blocked("ip", "203.0.113.9") == "blocked"
    assert await backend.add_distinct("ids:999", "y", ttl_s=60) == 2  # the newest keys survive


async def test_expired_keys_go_before_live_ones() -> None:
    now = [0.0]
    backend = MemoryBackend(max_keys=10, clock=lambda: now[0])
    for i in range(9):
        await backend.set(f"old:{i}", "v", ttl_s=1)
    now[0] = 5.0
    await backend.set("live", "v", ttl_s=60)
    await backend.set("live2", "v", ttl_s=60)
    assert backend.evicted == 0  # the sweep freed the expired keys: nothing live was evicted
    assert await backend.get("live") == "v"


@pytest.mark.parametrize("url", ["memory://?max_keys=0", "memory://?max_keys=ten", "memory://?size=5"])
def test_bad_memory_options_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        open_backend(url)
    assert info.value.pointer == "state"


def test_memory_max_keys_from_the_url() -> None:
    backend = open_backend("memory://?max_keys=5")
    assert isinstance(backend, MemoryBackend)
    assert backend._max_keys == 5
