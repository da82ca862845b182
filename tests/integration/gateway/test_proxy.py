"""The reverse proxy end to end: real upstream, real sockets."""

from __future__ import annotations

import httpx
import orjson

from apiward.gateway import Gateway


async def test_proxies_and_adds_forwarding_headers(make_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.get("/items/7?q=1", headers={"X-Forwarded-For": "203.0.113.9", "Te": "trailers"})
        assert r.status_code == 200
        doc = r.json()
        assert doc["path"] == "/items/7"
        assert doc["query"] == "q=1"
        headers = {k.lower(): v for k, v in doc["headers"]}
        assert headers["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
        assert headers["x-forwarded-proto"] == "http"
        assert headers["via"] == "1.1 apiward"
        assert headers["forwarded"].startswith("for=127.0.0.1;proto=http;host=")
        assert "te" not in headers
        # hop-by-hop headers named by the upstream's Connection are not passed back
        assert "x-hop" not in r.headers
        assert r.headers["x-upstream"] == "yes"
        r = await client.post("/items", content=b'{"a":1}', headers={"Content-Type": "application/json"})
        assert r.status_code == 201
        assert r.json()["body"] == '{"a":1}'


async def test_keep_alive_reuses_connections(make_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        for i in range(20):
            r = await client.get(f"/items/{i}")
            assert r.status_code == 200
    assert gateway.runtime is not None
    assert gateway.runtime.upstream is not None
    assert len(gateway.runtime.upstream._idle) == 1


async def test_unknown_path_and_wrong_method(make_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.get("/nope")
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json() == {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No such resource."}
        r = await client.put("/items/1")
        assert r.status_code == 405
        assert r.headers["allow"] == "DELETE, GET, HEAD"


async def test_upstream_down_is_502_without_internals(make_gateway, closed_port) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway({"upstream": {"url": f"http://127.0.0.1:{closed_port}"}})
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.get("/items")
    assert r.status_code == 502
    body = orjson.loads(r.content)
    assert body["status"] == 502
    assert "127.0.0.1" not in r.text
    assert "Error" not in r.text


async def test_route_overrides_by_operation_id_or_method_and_template(make_gateway) -> None:  # type: ignore[no-untyped-def]
    one = [{"requests": 1, "period_s": 3600}]
    gateway: Gateway = await make_gateway(
        {
            "policies": {"ratelimit": {"limits": [{"requests": 100, "period_s": 3600}]}},
            "routes": {"GET /items/{id}": {"ratelimit": {"limits": one}}, "listItems": {"hygiene": {"mode": "off"}}},
        }
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        assert (await client.get("/items/1")).status_code == 200
        assert (await client.get("/items/2")).status_code == 429
        assert (await client.get("/items")).headers["ratelimit-limit"] == "100"


async def test_client_gone_mid_request_does_not_leak_upstream_connections(make_gateway) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    gateway: Gateway = await make_gateway()
    runtime = gateway.runtime
    assert runtime is not None
    assert runtime.upstream is not None
    audit = runtime.pipeline.policies[-1]
    _, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    writer.write(b"GET /slow?s=0.5 HTTP/1.1\r\nHost: a\r\n\r\n")
    await writer.drain()
    for _ in range(200):  # wait until the request is in flight
        if runtime.inflight:
            break
        await asyncio.sleep(0.01)
    writer.close()  # hang up while the upstream is still answering
    for _ in range(200):
        if not runtime.inflight:
            break
        await asyncio.sleep(0.01)
    assert runtime.inflight == 0
    assert len(runtime.upstream._idle) == 0  # the half-read connection was closed, not pooled
    event = audit.sink.events[-1]
    assert (event.status, event.detail["client_gone"]) == (499, True)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        assert (await client.get("/items/1")).status_code == 200


async def test_base_path_from_the_spec_servers(make_gateway, tmp_path) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "v1.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://api.example.com/v1'}]\n"
        "paths:\n  /items/{id}:\n    get: {operationId: getItem, responses: {'200': {description: ok}}}\n"
    )
    gateway: Gateway = await make_gateway({"spec": str(spec)})
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.get("/v1/items/3")
        assert r.status_code == 200
        assert r.json()["path"] == "/v1/items/3"  # forwarded unchanged
        assert (await client.get("/items/3")).status_code == 404
        assert (await client.get("/v1/nope")).status_code == 404
        assert (await client.post("/v1/items/3")).status_code == 405
    flat: Gateway = await make_gateway({"spec": str(spec), "base_path": ""})
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{flat.port}") as client:
        assert (await client.get("/items/3")).status_code == 200


async def test_cors_preflight_passes_hygiene_and_is_answered_at_the_edge(make_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway({"policies": {"response_cors": {"allow_origins": ["https://app.example"]}}})
    headers = {"Origin": "https://app.example", "Access-Control-Request-Method": "DELETE"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.options("/items/1", headers=headers)
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "https://app.example"
    assert r.content == b""


async def test_request_ids_join_client_upstream_and_audit(make_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway()
    assert gateway.runtime is not None
    audit = gateway.runtime.pipeline.policies[-1]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.get("/items/1")
        rid = r.headers["x-request-id"]
        assert dict(r.json()["headers"])["x-request-id"] == rid
        assert audit.sink.events[-1].detail["request_id"] == rid
        r = await client.get("/items/1", headers={"X-Request-Id": "abc-123"})
        assert r.headers["x-request-id"] == "abc-123"
        r = await client.get("/items/1", headers={"X-Request-Id": "bad id\twith spaces"})
        assert r.headers["x-request-id"] != "bad id\twith spaces"
        assert dict(r.json()["headers"])["x-request-id"] == r.headers["x-request-id"]
        r = await client.get("/nope", headers={"X-Request-Id": "deny-1"})
        assert (r.status_code, r.headers["x-request-id"]) == (404, "deny-1")
