"""The gateway's extension hook: extra sinks get every audited event, outlive reloads, close once at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from apiward.core import ConfigError, Decision, SecurityEvent
from apiward.events import MemorySink
from apiward.gateway import ExtensionContext, serve


class Tracked(MemorySink):
    def __init__(self) -> None:
        super().__init__()
        self.started = self.closed = 0

    async def start(self) -> None:
        self.started += 1

    async def aclose(self) -> None:
        self.closed += 1


async def test_extra_sinks_see_every_event_across_reloads(upstream: Any, spec_file: Path, tmp_path: Path) -> None:
    sink = Tracked()
    seen: list[ExtensionContext] = []

    def factory(ctx: ExtensionContext) -> list[Tracked]:
        seen.append(ctx)
        return [sink]

    path = tmp_path / "apiward.yaml"
    config = {
        "upstream": {"url": upstream.url},
        "spec": str(spec_file),
        "listen": {"port": 0},
        "reload": {"watch": False},
        "policies": {"threat": {"mode": "off"}},
    }
    path.write_text(yaml.safe_dump(config))
    gateway = await serve(str(path), extensions=factory)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
            assert (await client.get("/items/1")).status_code == 200
            config["policies"]["audit"] = {"instance": "after-reload"}
            path.write_text(yaml.safe_dump(config))
            assert await gateway.reload()
            assert (await client.get("/nowhere")).status_code == 404
        assert [e.status for e in sink.events] == [200, 404]
        assert sink.events[-1].instance == "after-reload"
        (ctx,) = seen  # built once, not per reload
        assert ctx.state is gateway.state
        assert ctx.registry is gateway.metrics.registry
        # The trail writes into the live audit sink (for alerts made outside a request).
        alert = SecurityEvent(id="a1", kind="detection", decision=Decision.ALERT)
        ctx.trail.emit(alert)
        assert gateway.runtime is not None
        assert gateway.runtime.audit_sink.events[-1] is alert
        assert sink.started == 1
    finally:
        await gateway.close()
    assert sink.closed == 1
    ctx.trail.emit(alert)  # after close: counted, not raised
    assert ctx.trail.dropped == 1


async def test_a_port_in_use_leaves_no_extension_running(upstream: Any, spec_file: Path) -> None:
    sink = Tracked()
    first = await serve({"upstream": {"url": upstream.url}, "listen": {"port": 0}})
    try:
        doc = {"upstream": {"url": upstream.url}, "listen": {"port": first.port}}
        with pytest.raises(ConfigError):
            await serve(doc, extensions=lambda ctx: [sink])
    finally:
        await first.close()
    assert sink.started == sink.closed == 1
