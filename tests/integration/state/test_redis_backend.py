"""The Redis backend against the real Redis: atomic scripts, and N backend instances sharing one limit."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator

import pytest

from apiward.core import BackendError
from apiward.state import RedisBackend, StateBackend, open_backend

pytestmark = pytest.mark.services


@pytest.fixture
async def backends(redis_url: str) -> AsyncIterator[list[RedisBackend]]:
    prefix = f"apiward-test-{uuid.uuid4().hex[:8]}:"
    opened = [RedisBackend(redis_url, prefix=prefix) for _ in range(3)]
    yield opened
    for b in opened:
        await b.aclose()


async def test_open_backend_and_protocol(redis_url: str) -> None:
    backend = open_backend(redis_url)
    assert isinstance(backend, RedisBackend)
    assert isinstance(backend, StateBackend)
    await backend.ping()
    await backend.aclose()


async def test_counters_sets_values(backends: list[RedisBackend]) -> None:
    a, b, _ = backends
    assert await a.incr("c", ttl_s=30) == 1
    assert await b.incr("c", 4, ttl_s=30) == 5
    assert await a.add_distinct("s", "x", ttl_s=30) == 1
    assert await b.add_distinct("s", "y", ttl_s=30) == 2
    assert await a.add_distinct("s", "x") == 2
    await a.set("v", "hello", ttl_s=30)
    assert await b.get("v") == "hello"
    await b.delete("v")
    assert await a.get("v") is None


async def test_block_list_shared(backends: list[RedisBackend]) -> None:
    a, b, _ = backends
    await a.block("identity", "alice", ttl_s=30, reason="credential stuffing")
    assert await b.blocked("identity", "alice") == "credential stuffing"
    assert await b.blocked("identity", "bob") is None
    assert await b.unblock("identity", "alice") is True
    assert await a.blocked("identity", "alice") is None
    assert await a.unblock("identity", "alice") is False


async def test_token_bucket_shared_by_instances(backends: list[RedisBackend]) -> None:
    # A very slow refill (1 token / 1000 s) so the count cannot drift during the test.
    async def take(b: RedisBackend) -> bool:
        return (await b.token_bucket("tb", rate_per_s=0.001, burst=10)).allowed

    results = await asyncio.gather(*(take(backends[i % 3]) for i in range(30)))
    assert sum(results) == 10
    denied = await backends[0].token_bucket("tb", rate_per_s=0.001, burst=10)
    assert not denied.allowed
    assert denied.remaining == 0
    assert denied.retry_after_s > 0


async def test_sliding_window_shared_by_instances(backends: list[RedisBackend]) -> None:
    async def hit(b: RedisBackend) -> bool:
        return (await b.sliding_window("sw", limit=7, window_s=3600)).allowed

    results = await asyncio.gather(*(hit(backends[i % 3]) for i in range(25)))
    assert sum(results) == 7
    assert not (await backends[1].sliding_window("sw", limit=7, window_s=3600)).allowed


async def test_unreachable_redis_is_a_backend_error() -> None:
    with socket.socket() as sock:  # bound, not listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        backend = RedisBackend(f"redis://127.0.0.1:{port}/0", timeout_s=0.5)
        with pytest.raises(BackendError, match=rf"127\.0\.0\.1:{port}"):
            await backend.incr("x")
        await backend.aclose()
