"""Running a gateway: audit events, admin endpoints, reload without dropping requests, Redis-shared limits, TLS."""

from __future__ import annotations

import asyncio
import os
import signal
import ssl
import uuid
from pathlib import Path

import httpx
import orjson
import pytest
import trustme
import yaml

from apiward.gateway import Gateway, serve

TOKEN = "admin-token-0123456789"


async def test_audit_one_event_per_request_with_secrets_redacted(make_gateway, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sink = tmp_path / "events.jsonl"
    gateway: Gateway = await make_gateway(
        {"policies": {"audit": {"sink": f"jsonl://{sink}?spool=off", "instance": "gw-1"}}}
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        assert (
            await client.get("/items?api_key=hunter2", headers={"Authorization": "Bearer abc.def.ghi"})
        ).status_code == 200
        assert (await client.get("/missing")).status_code == 404
    await gateway.close()
    events = [orjson.loads(line) for line in sink.read_text().splitlines()]
    assert [(e["decision"], e["status"]) for e in events] == [("allow", 200), ("deny", 404)]
    first, second = events
    assert first["operation"]["operation_id"] == "listItems"
    assert first["instance"] == "gw-1"
    assert first["latency_ms"] > 0
    assert first["response_bytes"] > 0
    assert "hunter2" not in sink.read_text()
    assert "abc.def.ghi" not in sink.read_text()
    assert second["matched_rules"] == ["GW-HYG-007"]
    assert second["reason"] == "Not Found"


async def test_admin_endpoints_are_token_protected(make_gateway) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway({"admin": {"port": 0, "token": TOKEN}})
    admin = f"http://127.0.0.1:{gateway.admin_port}"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{admin}/healthz")).status_code == 401
        assert (await client.get(f"{admin}/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
        assert (await client.get(f"{admin}/healthz", headers=auth)).json() == {"status": "ok"}
        assert (await client.get(f"{admin}/readyz", headers=auth)).status_code == 200
        await client.get(f"http://127.0.0.1:{gateway.port}/items")
        metrics = (await client.get(f"{admin}/metrics", headers=auth)).text
        assert 'apiward_gateway_requests_total{decision="allow",operation="listItems",status="2xx"} 1.0' in metrics
        assert "apiward_gateway_request_duration_seconds_bucket" in metrics
        assert "apiward_gateway_open_connections 1.0" in metrics  # the client above is still connected
        assert f'apiward_gateway_config_info{{version="{gateway.config.version}"}} 1.0' in metrics
        config = (await client.get(f"{admin}/config", headers=auth)).json()
        assert config["version"] == gateway.config.version
        assert config["policies"][0] == "hygiene"
        block = {"kind": "ip", "value": "127.0.0.1", "ttl_s": 60, "reason": "test"}
        assert (await client.post(f"{admin}/blocklist", headers=auth, content=orjson.dumps(block))).status_code == 201
        r = await client.get(f"http://127.0.0.1:{gateway.port}/items")
        assert r.status_code == 403
        assert (await client.post(f"{admin}/blocklist", headers=auth, content=b"{")).status_code == 400
        lift = orjson.dumps({"kind": "ip", "value": "127.0.0.1"})
        assert (await client.request("DELETE", f"{admin}/blocklist", headers=auth, content=lift)).status_code == 200
        assert (await client.get(f"http://127.0.0.1:{gateway.port}/items")).status_code == 200
        assert (await client.request("DELETE", f"{admin}/blocklist", headers=auth, content=lift)).status_code == 404


def _write(path: Path, doc: dict) -> None:  # type: ignore[type-arg]
    path.write_text(yaml.safe_dump(doc))


async def test_reload_on_file_change_and_sighup_keeps_in_flight_requests(upstream, spec_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "apiward.yaml"
    base = {
        "upstream": {"url": upstream.url},
        "spec": str(spec_file),
        "listen": {"port": 0},
        "reload": {"interval_s": 0.1},
        "policies": {"threat": {"mode": "off"}},
    }
    _write(path, base)
    gateway = await serve(path, signals=True)
    try:
        url = f"http://127.0.0.1:{gateway.port}"
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            slow = asyncio.ensure_future(client.get("/slow?s=1.0"))
            await asyncio.sleep(0.2)
            old = gateway.config.version
            _write(path, {**base, "policies": {**base["policies"], "ip": {"deny": ["127.0.0.0/8"]}}})
            for _ in range(100):
                if gateway.config.version != old:
                    break
                await asyncio.sleep(0.05)
            assert gateway.config.version != old
            assert (await client.get("/items")).status_code == 403  # new config applies to new requests
            assert (await slow).status_code == 200  # the in-flight one finished on the old config
            # SIGHUP: reload after the file changed back (watching off to prove the signal path)
            _write(path, {**base, "reload": {"watch": False}})
            gateway._tasks[0].cancel()  # stop the watcher started for the first config
            os.kill(os.getpid(), signal.SIGHUP)
            for _ in range(100):
                if gateway.reloads >= 2:
                    break
                await asyncio.sleep(0.05)
            assert (await client.get("/items")).status_code == 200
            # a broken file keeps the running config
            path.write_text("upstream: {url: 42}\n")
            assert await gateway.reload() is False
            assert "upstream.url" in (gateway.last_error or "")
            assert (await client.get("/items")).status_code == 200
    finally:
        await gateway.close()


@pytest.mark.services
async def test_two_instances_share_one_limit_through_redis(make_gateway, redis_url) -> None:  # type: ignore[no-untyped-def]
    name = f"shared-{uuid.uuid4().hex[:8]}"
    doc = {
        "state": redis_url,
        "policies": {"ratelimit": {"limits": [{"name": name, "key": "ip", "requests": 6, "period_s": 3600}]}},
    }
    first: Gateway = await make_gateway(doc)
    second: Gateway = await make_gateway(doc)
    statuses = []
    async with httpx.AsyncClient() as client:
        for i in range(10):
            port = (first if i % 2 else second).port
            r = await client.get(f"http://127.0.0.1:{port}/items")
            statuses.append(r.status_code)
    assert statuses.count(200) == 6
    assert statuses.count(429) == 4
    assert r.headers["retry-after"]
    assert r.headers["ratelimit-remaining"] == "0"
    assert r.headers["ratelimit-policy"] == f'"{name}";q=6;w=3600'


async def test_tls_termination(make_gateway, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    gateway: Gateway = await make_gateway(
        {"listen": {"port": 0, "tls": {"cert": str(cert_file), "key": str(key_file)}}}
    )
    context = ssl.create_default_context()
    ca.configure_trust(context)
    async with httpx.AsyncClient(verify=context) as client:
        r = await client.get(f"https://127.0.0.1:{gateway.port}/items")
    assert r.status_code == 200
    assert dict(r.json()["headers"])["x-forwarded-proto"] == "https"
    tls12 = ssl.create_default_context()
    ca.configure_trust(tls12)
    tls12.maximum_version = ssl.TLSVersion.TLSv1_2
    async with httpx.AsyncClient(verify=tls12) as client:
        assert (await client.get(f"https://127.0.0.1:{gateway.port}/items")).status_code == 200
    strict: Gateway = await make_gateway(
        {"listen": {"port": 0, "tls": {"cert": str(cert_file), "key": str(key_file), "min_version": "1.3"}}}
    )
    with pytest.raises((ssl.SSLError, ConnectionResetError)):  # the handshake is refused
        await asyncio.open_connection("127.0.0.1", strict.port, ssl=tls12)


async def test_unreachable_redis_fails_closed_and_is_not_ready(make_gateway, closed_port) -> None:  # type: ignore[no-untyped-def]
    gateway: Gateway = await make_gateway(
        {
            "state": f"redis://127.0.0.1:{closed_port}/0",
            "admin": {"port": 0, "token": TOKEN},
            "policies": {"ratelimit": {"limits": [{"requests": 5, "period_s": 60}]}},
        }
    )
    async with httpx.AsyncClient() as client:
        r = await client.get(f"http://127.0.0.1:{gateway.port}/items")
        assert r.status_code == 503
        assert str(closed_port) not in r.text
        ready = await client.get(
            f"http://127.0.0.1:{gateway.admin_port}/readyz", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert ready.status_code == 503
        assert ready.json()["reason"] == "state backend unreachable"

    await gateway.close()
    relaxed: Gateway = await make_gateway(
        {
            "state": f"redis://127.0.0.1:{closed_port}/0",
            "policies": {
                "blocklist": {"on_backend_error": "allow"},
                "ratelimit": {"on_backend_error": "allow", "limits": [{"requests": 5, "period_s": 60}]},
            },
        }
    )
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"http://127.0.0.1:{relaxed.port}/items")).status_code == 200


async def test_https_upstream_is_verified(make_gateway, upstream_class, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "c.pem", tmp_path / "k.pem", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    async with upstream_class(certfile=str(cert_file), keyfile=str(key_file)) as secure:
        trusted: Gateway = await make_gateway({"upstream": {"url": secure.url, "ca_file": str(ca_file)}})
        untrusted: Gateway = await make_gateway({"upstream": {"url": secure.url}})
        async with httpx.AsyncClient() as client:
            r = await client.get(f"http://127.0.0.1:{trusted.port}/items")
            assert r.status_code == 200
            assert r.json()["path"] == "/items"
            assert (await client.get(f"http://127.0.0.1:{untrusted.port}/items")).status_code == 502


async def test_reload_keeps_an_unchanged_audit_sink(upstream, spec_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sink = tmp_path / "events.jsonl"
    path = tmp_path / "apiward.yaml"
    base = {
        "upstream": {"url": upstream.url},
        "spec": str(spec_file),
        "listen": {"port": 0},
        "reload": {"watch": False},
        "policies": {"threat": {"mode": "off"}, "audit": {"sink": f"jsonl://{sink}?spool=off"}},
    }
    _write(path, base)
    gateway = await serve(path)
    try:
        assert gateway.runtime is not None
        audit_before = gateway.runtime.pipeline.policies[-1]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
            assert (await client.get("/items")).status_code == 200
            _write(path, {**base, "policies": {**base["policies"], "ip": {"deny": ["192.0.2.0/24"]}}})
            assert await gateway.reload()
            assert gateway.runtime.pipeline.policies[-1] is audit_before  # moved over, not reopened
            assert (await client.get("/items/2")).status_code == 200
            _write(
                path,
                {
                    **base,
                    "policies": {**base["policies"], "audit": {"sink": f"jsonl://{sink}?spool=off", "instance": "b"}},
                },
            )
            assert await gateway.reload()
            assert gateway.runtime.pipeline.policies[-1] is not audit_before  # changed options: a new sink
            assert (await client.get("/items/3")).status_code == 200
    finally:
        await gateway.close()
    events = [orjson.loads(line) for line in sink.read_text().splitlines()]
    assert [e["path"] for e in events] == ["/items", "/items/2", "/items/3"]
    assert events[-1]["instance"] == "b"
