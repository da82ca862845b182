"""Bodies larger than the buffer bound: streamed with back-pressure, or refused when a policy must read them."""

from __future__ import annotations

import httpx

from apiward.gateway import Gateway


async def test_large_bodies_stream_through(make_gateway, upstream) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway({"upstream": {"url": upstream.url, "max_response_bytes": 1024}})
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.get("/big")
        assert r.status_code == 200
        assert r.headers["content-length"] == "200000"
        assert r.content == b"x" * 200_000
        r = await client.get("/stream")
        assert r.status_code == 200
        assert r.headers["transfer-encoding"] == "chunked"
        assert len(r.content) == 50 * 4096
        assert r.content[4096 * 25 : 4096 * 25 + 1] == b"Z"
        # the same client connection keeps working, and the upstream connection went back to the pool
        assert (await client.get("/items/1")).status_code == 200
        assert (await client.get("/big")).status_code == 200


async def test_http10_client_gets_a_close_delimited_stream(make_gateway, upstream, raw) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway({"upstream": {"url": upstream.url, "max_response_bytes": 1024}})
    answer = await raw(gateway.port, b"GET /stream HTTP/1.0\r\nHost: a\r\n\r\n", until_close=True)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200 ")
    assert b"chunked" not in head.lower()
    assert len(body) == 50 * 4096


async def test_large_bodies_are_refused_when_a_response_policy_must_read_them(make_gateway, upstream) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway(
        {"upstream": {"url": upstream.url, "max_response_bytes": 1024}, "policies": {"response_mask": {}}}
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.get("/big")
    assert r.status_code == 502
    assert r.headers["content-type"] == "application/problem+json"


async def test_too_large_is_recorded_and_host_can_be_preserved(make_gateway, upstream) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway(
        {
            "upstream": {"url": upstream.url, "max_response_bytes": 1024, "preserve_host": True},
            "policies": {"response_scrub": {}},
        }
    )
    audit = gateway.runtime.pipeline.policies[-1]  # type: ignore[union-attr]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        assert (await client.get("/big")).status_code == 502
        assert audit.sink.events[-1].detail["upstream_error"] == "response too large"
        r = await client.get("/items", headers={"Host": "api.example"})
        assert dict(r.json()["headers"])["host"] == "api.example"
