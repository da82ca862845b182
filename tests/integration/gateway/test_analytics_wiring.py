"""Behavioural analytics in the running gateway, wired by the CLI's extension factory: an enumerating
client raises an alert in the same audit trail, detector metrics appear on the admin /metrics, and with
remediation on the client ends up blocked."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import yaml

from apiward.cli._gateway import analytics_extension
from apiward.events import EventQuery, open_store
from apiward.gateway import Gateway

ADMIN_TOKEN = "admin-token-0123456789"


async def enumerate_items(port: int, count: int) -> list[int]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        return [(await client.get(f"/items/{i}")).status_code for i in range(1, count + 1)]


async def started(make_gateway: Any, analytics: dict[str, Any]) -> Gateway:
    doc = {"analytics": analytics, "admin": {"port": 0, "token": ADMIN_TOKEN}}
    gateway: Gateway = await make_gateway(doc, extensions=analytics_extension)
    return gateway


async def test_enumeration_alerts_into_the_audit_trail_and_blocks_with_remediation(make_gateway: Any) -> None:
    gateway = await started(make_gateway, {"remediation": {"enabled": True, "block_ttl_s": 60}})
    statuses = await enumerate_items(gateway.port, 60)
    assert statuses[0] == 200
    (monitor_sink,) = gateway.extra_sinks
    await monitor_sink.join()
    assert gateway.runtime is not None
    events = list(gateway.runtime.audit_sink.events)
    alerts = [e for e in events if e.kind == "detection"]
    assert any("ANL-BOLA-001" in e.matched_rules for e in alerts)
    assert all(e.client_ip == "127.0.0.1" for e in alerts)
    # Blocked now: the block list (default-on) refuses the enumerator.
    assert (await enumerate_items(gateway.port, 1)) == [403]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.admin_port}") as admin:
        text = (await admin.get("/metrics", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})).text
    assert re.search(r'apiward_detections_total\{detector="ANL-BOLA-001",severity="high"\} [1-9]', text)
    assert "apiward_gateway_requests_total" in text


async def test_without_remediation_the_enumerator_is_only_reported(make_gateway: Any) -> None:
    gateway = await started(make_gateway, {})
    statuses = await enumerate_items(gateway.port, 60)
    (monitor_sink,) = gateway.extra_sinks
    await monitor_sink.join()
    assert gateway.runtime is not None
    assert any(e.kind == "detection" for e in gateway.runtime.audit_sink.events)
    assert set(statuses) == {200}
    assert (await enumerate_items(gateway.port, 1)) == [200]


async def test_a_normal_client_raises_nothing(make_gateway: Any) -> None:
    gateway = await started(make_gateway, {"remediation": {"enabled": True}})
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}", timeout=10) as client:
        for _ in range(10):
            for i in (1, 2, 3):
                assert (await client.get(f"/items/{i}")).status_code == 200
    (monitor_sink,) = gateway.extra_sinks
    await monitor_sink.join()
    assert gateway.runtime is not None
    assert not [e for e in gateway.runtime.audit_sink.events if e.kind == "detection"]


async def test_analytics_disabled_adds_no_sink(make_gateway: Any) -> None:
    gateway = await started(make_gateway, {"enabled": False})
    assert gateway.extra_sinks == ()


async def test_cli_process_records_the_alert_in_the_store(upstream: Any, spec_file: Path, tmp_path: Path) -> None:
    store = tmp_path / "events.sqlite"
    config = {
        "spec": str(spec_file),
        "upstream": {"url": upstream.url},
        "listen": {"port": 0},
        "analytics": {"remediation": {"enabled": True}},
        "policies": {"threat": {"mode": "off"}, "audit": {"sink": f"sqlite://{store}"}},
    }
    path = tmp_path / "apiward.yaml"
    path.write_text(yaml.safe_dump(config))
    env = {**os.environ, "APIWARD_SPOOL_DIR": str(tmp_path / "spool")}
    proc = subprocess.Popen(  # noqa: ASYNC220 - the gateway runs in its own process; we only read its banner
        [str(Path(sys.executable).with_name("apiward")), "gateway", "--config", str(path)],
        stderr=subprocess.PIPE,
        env=env,
    )
    later: list[int] = []
    try:
        assert proc.stderr is not None
        port = 0
        while not port:
            line = (await asyncio.to_thread(proc.stderr.readline)).decode()
            assert line, "the gateway exited before listening"
            found = re.search(r"listening on http://[0-9.]+:(\d+)", line)
            port = int(found.group(1)) if found else 0
        statuses = await enumerate_items(port, 60)
        assert statuses[0] == 200
        # The detectors run beside the request path: within a bounded number of further requests the
        # remediation's block reaches the block list and the enumerator is refused.
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(200):
                later.append((await client.get("/items/1")).status_code)
                if later[-1] == 403:
                    break
        assert later[-1] == 403
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.to_thread(proc.wait, 30)
        if proc.stderr is not None:
            proc.stderr.close()
    assert proc.returncode == 0
    alerts = open_store(f"sqlite://{store}").query(EventQuery(kind="detection"))
    assert any("ANL-BOLA-001" in e.matched_rules for e in alerts)
    requests = open_store(f"sqlite://{store}").query(EventQuery(kind="request", limit=None))
    assert len(requests) == 60 + len(later)  # every request audited, the refused ones too
    assert any(str(e.decision) == "deny" and e.status == 403 for e in requests)
