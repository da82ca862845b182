"""Hostile bytes at the socket: smuggling shapes, limits, pipelining, and a fuzz that must never crash or leak."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apiward.gateway import Gateway

SMUGGLE = [
    b"POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    b"POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
    b"POST /items HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    b"POST /items HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    b"GET /items HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n",
    b"GET /items HTTP/1.1\nHost: a\n\n",
    b"GET /items HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"GET /items HTTP/1.1\r\n\r\n",
    b"GET /items\r\n\r\n",
    b"GET /items HTTP/2.0\r\nHost: a\r\n\r\n",
    b"FOO /items HTTP/1.1\r\nHost: a\r\n\r\n",
    b"TRACE /items HTTP/1.1\r\nHost: a\r\n\r\n",
    b"CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /items/..%2f..%2fetc HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /items HTTP/1.1\r\nHost: a\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n",
    b"GET /items HTTP/1.1\r\nHost: a\r\nX-Big: " + b"b" * 20000 + b"\r\n\r\n",
]


@pytest.mark.parametrize("data", SMUGGLE, ids=range(len(SMUGGLE)))
async def test_smuggling_and_malformed_requests_are_refused_before_the_upstream(make_gateway, raw, data) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway()
    answer = await raw(gateway.port, data)
    status = int(answer.split(b" ", 2)[1])
    assert 400 <= status < 500 or status == 505, answer[:200]
    if data.startswith(b"GET /aaaa"):
        assert status == 414
    assert b"application/problem+json" in answer
    assert b"Traceback" not in answer
    assert b"x-upstream" not in answer.lower()


async def test_oversized_body_is_413(make_gateway, raw) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway({"limits": {"max_body_bytes": 100}})
    answer = await raw(gateway.port, b"POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000)
    assert answer.startswith(b"HTTP/1.1 413 ")
    chunked = (
        b"POST /items HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"80\r\n"
        + b"x" * 128
        + b"\r\n0\r\n\r\n"
    )
    assert (await raw(gateway.port, chunked)).startswith(b"HTTP/1.1 413 ")


async def test_chunked_request_body_is_forwarded_with_a_length(make_gateway, raw) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway()
    data = b"POST /items HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    data += b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    answer = await raw(gateway.port, data)
    assert answer.startswith(b"HTTP/1.1 201 ")
    assert b'"body":"abcde"' in answer
    assert b'"transfer-encoding"' not in answer.lower()


async def test_pipelined_requests_are_answered_in_order(make_gateway, raw) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway()
    data = b"".join(b"GET /items/%d HTTP/1.1\r\nHost: a\r\n\r\n" % i for i in range(5))
    data += b"GET /items/99 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
    answer = await raw(gateway.port, data, until_close=True)
    assert answer.count(b"HTTP/1.1 200 OK") == 6
    positions = [answer.index(b'"path":"/items/%d"' % i) for i in (0, 1, 2, 3, 4, 99)]
    assert positions == sorted(positions)


async def test_slow_loris_is_cut(make_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway({"limits": {"header_timeout_s": 0.3}})
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    writer.write(b"GET /items HTTP/1.1\r\nHost: a\r\n")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 5)
    assert answer.startswith(b"HTTP/1.1 408 ")
    writer.close()


async def test_slow_loris_after_a_kept_alive_request_is_cut(make_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway({"limits": {"header_timeout_s": 0.3, "keepalive_timeout_s": 60}})
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    writer.write(b"GET /items HTTP/1.1\r\nHost: a\r\n\r\n")
    await writer.drain()
    first = await asyncio.wait_for(reader.readuntil(b'"body":""}'), 5)
    assert first.startswith(b"HTTP/1.1 200 ")
    writer.write(b"GET /items HTTP/1.1\r\nHo")  # then nothing more
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)  # the keep-alive timeout (60 s) must not apply
    assert answer.startswith(b"HTTP/1.1 408 ")
    writer.close()


@pytest.fixture
async def fuzz_gateway(make_gateway) -> Gateway:  # type: ignore[no-untyped-def]
    return await make_gateway({"limits": {"header_timeout_s": 0.2}})


_TOKENS = st.sampled_from(
    [
        b"GET",
        b"POST",
        b" ",
        b"/items",
        b"/items/1",
        b"?a=%00",
        b"HTTP/1.1",
        b"HTTP/1.0",
        b"\r\n",
        b"\n",
        b"\r",
        b"Host: a",
        b"Content-Length: ",
        b"Transfer-Encoding: chunked",
        b"0",
        b"5",
        b"-1",
        b":",
        b"\x00",
        b"\xff",
        b"\t",
        b"Connection: close",
        b"Expect: 100-continue",
        b"\r\n\r\n",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(_TOKENS, st.binary(max_size=12)), max_size=30))
async def test_fuzzed_bytes_never_crash_or_leak(fuzz_gateway: Gateway, raw, parts: list[bytes]) -> None:  # type: ignore[no-untyped-def]
    answer = await raw(fuzz_gateway.port, b"".join(parts) + b"\r\n\r\n", read_timeout=1.0)
    assert b"Traceback" not in answer
    assert b"Error:" not in answer
    if answer:
        assert answer.startswith(b"HTTP/1.")
    # the server is still healthy afterwards
    async with httpx.AsyncClient() as client:
        r = await client.get(f"http://127.0.0.1:{fuzz_gateway.port}/items")
    assert r.status_code == 200


async def test_expect_continue_and_head(make_gateway, raw, upstream) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway()
    data = (
        b"POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n{}"
    )
    answer = await raw(gateway.port, data, until_close=True)
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 ")
    refused = await raw(gateway.port, b"POST /items HTTP/1.1\r\nHost: a\r\nExpect: magic\r\nContent-Length: 0\r\n\r\n")
    assert refused.startswith(b"HTTP/1.1 417 ")
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.head("/items/3")
        assert r.status_code == 200
        assert gateway.runtime is not None
        event = gateway.runtime.pipeline.policies[-1].sink.events[-1]
        assert event.operation.operation_id == "getItem"  # HEAD is served as GET
        assert r.content == b""
        assert "date" in r.headers
        direct = await client.head(f"{upstream.url}/items/3")
        assert r.headers.get("content-length") == direct.headers.get("content-length")


async def test_connections_over_the_limit_get_503(make_gateway, raw) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway({"limits": {"max_connections": 2}})
    held = [await asyncio.open_connection("127.0.0.1", gateway.port) for _ in range(2)]
    answer = await raw(gateway.port, b"GET /items HTTP/1.1\r\nHost: a\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 503 ")
    for _, writer in held:
        writer.close()
        await writer.wait_closed()
    for _ in range(50):
        if gateway._open == 0:
            break
        await asyncio.sleep(0.02)
    assert (await raw(gateway.port, b"GET /items HTTP/1.1\r\nHost: a\r\n\r\n")).startswith(b"HTTP/1.1 200 ")


async def test_upgrade_is_not_proxied(make_gateway, raw) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway()
    data = b"GET /items HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
    answer = await raw(gateway.port, data, until_close=True)
    assert answer.startswith(b"HTTP/1.1 200 ")  # answered as plain HTTP, then closed
    assert b"Connection: close" in answer
    assert b'"upgrade"' not in answer.lower()  # not forwarded upstream (hop-by-hop)
