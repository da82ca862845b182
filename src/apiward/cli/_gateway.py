"""`apiward gateway`: run the security gateway (reverse proxy or nginx/Envoy decision service)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from apiward.cli._common import handle_errors
from apiward.core import ApiwardError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from apiward.events import EventSink
    from apiward.gateway import ExtensionContext, GatewayConfig

__all__ = ["gateway"]


def analytics_extension(ctx: ExtensionContext) -> Sequence[EventSink]:
    """The ``analytics:`` section wired into a running gateway: a :class:`~apiward.analytics.MonitorSink`
    that observes every audited request, alerts into the audit trail, detector metrics in the gateway's
    registry (admin ``/metrics``), state (and block list) in the gateway's state backend."""
    section = ctx.config.section("analytics")
    if not section.get("enabled", True):
        return ()
    from apiward.analytics import AnalyticsMetrics, BehaviourMonitor, MonitorSink, Remediation, RemediationSettings
    from apiward.core import ConfigError, Severity

    rem = section.get("remediation") or {}
    try:  # checked even when remediation is off, so a mistake shows before it is turned on
        settings = RemediationSettings(
            block=True,
            block_ttl_s=float(rem.get("block_ttl_s", 900)),
            min_severity=Severity.parse(str(rem.get("min_severity", "high"))),  # type: ignore[arg-type]
            webhook_url=rem.get("webhook_url"),
            never_block=tuple(rem.get("never_block", ())),
        )
    except ConfigError as exc:
        raise ConfigError(
            exc.message, source=ctx.config.source, pointer=f"analytics.{exc.pointer or 'remediation'}"
        ) from exc
    remediation = Remediation(ctx.state, settings) if rem.get("enabled", False) else None
    metrics = AnalyticsMetrics(ctx.registry, count_requests=False)  # the gateway counts requests itself
    monitor = BehaviourMonitor(ctx.state, sink=ctx.trail, remediation=remediation, metrics=metrics)
    return (MonitorSink(monitor, max_queue=int(section.get("queue", 10_000))),)


async def _run(
    config: GatewayConfig, host: str | None, port: int | None, *, worker: int = 0, shared: bool = False
) -> None:
    from apiward.gateway import serve

    gw = await serve(
        config,
        host=host,
        port=port,
        signals=True,
        reuse_port=shared,
        admin=worker == 0,
        extensions=analytics_extension,
    )
    scheme = "https" if config.section("listen").get("tls") else "http"
    bound = host or config.section("listen").get("host", "127.0.0.1")
    who = f"apiward gateway[{worker}]" if shared else "apiward gateway"
    click.echo(
        f"{who} ({config.mode}) listening on {scheme}://{bound}:{gw.port} "
        f"config {config.version}; policies: {', '.join(gw.config_status()['policies'])}",
        err=True,
    )
    if gw.admin_port:
        click.echo(f"admin endpoints on port {gw.admin_port}", err=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        click.echo(f"{who}: draining and stopping", err=True)
        await gw.close()


async def _check(config: GatewayConfig) -> tuple[str, ...]:
    """Build everything a start would (spec, routes, every policy) without listening or connecting."""
    from apiward.gateway import AuditTrail, ExtensionContext
    from apiward.gateway._metrics import Metrics
    from apiward.gateway._runtime import Runtime
    from apiward.state import MemoryBackend

    metrics = Metrics()
    runtime = Runtime(config, state=MemoryBackend(), metrics=metrics)
    try:
        # The analytics section too (remediation settings are checked when built; nothing is started).
        trail = AuditTrail(lambda: None)
        analytics_extension(
            ExtensionContext(config=config, state=runtime.state, registry=metrics.registry, trail=trail)
        )
        return runtime.pipeline.names
    finally:
        await runtime.aclose()


@click.command(name="gateway")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="YAML config file.")
@click.option("--spec", type=click.Path(dir_okay=False, path_type=Path), help="OpenAPI description (no config file).")
@click.option("--upstream", help="Upstream URL (no config file), e.g. http://127.0.0.1:8000.")
@click.option(
    "--decision",
    type=click.Choice(["nginx", "envoy", "auto"]),
    help="No config file: run as an nginx auth_request / Envoy ext_authz decision service instead of a proxy.",
)
@click.option("--host", help="Listen address (overrides listen.host).")
@click.option("--port", type=click.IntRange(0, 65535), help="Listen port (overrides listen.port).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes sharing the port (SO_REUSEPORT). Use a Redis 'state' so limits are shared.",
)
@click.option("--check", is_flag=True, help="Validate the config (and spec) and exit.")
@click.option("--reference", is_flag=True, help="Print the generated configuration reference (Markdown) and exit.")
@handle_errors
def gateway(
    config_path: Path | None,
    spec: Path | None,
    upstream: str | None,
    decision: str | None,
    host: str | None,
    port: int | None,
    workers: int,
    check: bool,
    reference: bool,
) -> None:
    """Protect an API: a reverse proxy (or nginx auth_request / Envoy ext_authz decision service) running
    hygiene → IP → block list → authentication → authorisation → rate limits → validation → threat
    detection → upstream → response protection → audit.

    \b
      apiward gateway --config apiward.yaml
      apiward gateway --spec openapi.yaml --upstream http://127.0.0.1:8000 --port 8080
      apiward gateway --spec openapi.yaml --decision nginx --port 8081
    """
    from apiward.gateway import load_config, quick_config

    if reference:
        from apiward.gateway._reference import render_reference

        click.echo(render_reference(), nl=False)
        click.echo()
        return
    if config_path is not None and (spec is not None or upstream is not None or decision is not None):
        raise click.UsageError("give either --config, or --spec/--upstream/--decision, not both")
    if config_path is not None:
        config = load_config(config_path)
    elif upstream is not None or decision is not None:
        config = quick_config(str(spec) if spec else None, upstream, decision=decision)
    else:
        raise click.UsageError("give --config FILE, or --upstream URL (with --spec SPEC for spec-aware policies)")
    if check:
        names = asyncio.run(_check(config))
        click.echo(f"config OK (version {config.version}); policies: {', '.join(names)}", err=True)
        return
    if workers > 1:
        if (port if port is not None else config.section("listen").get("port")) == 0:
            raise click.UsageError("--workers needs a fixed port (not 0)")
        if str(config.data.get("state", "memory://")).startswith("memory"):
            click.echo("warning: with memory:// state each worker keeps its own limits; use redis://", err=True)
        raise SystemExit(_supervise(config, host, port, workers))
    _run_worker(config, host, port, worker=0, shared=False)


def _run_worker(config: GatewayConfig, host: str | None, port: int | None, *, worker: int, shared: bool) -> None:
    try:
        import uvloop

        factory = uvloop.new_event_loop
    except ImportError:  # pragma: no cover - uvloop is optional on platforms without it
        factory = None
    with contextlib.suppress(KeyboardInterrupt), asyncio.Runner(loop_factory=factory) as runner:
        runner.run(_run(config, host, port, worker=worker, shared=shared))


def _supervise(config: GatewayConfig, host: str | None, port: int | None, workers: int) -> int:
    """Fork ``workers`` processes on one SO_REUSEPORT port; forward SIGTERM/SIGINT/SIGHUP; wait for all."""
    children: list[int] = []
    for index in range(workers):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 0
            try:
                _run_worker(config, host, port, worker=index, shared=True)
            except ApiwardError as exc:
                click.echo(f"error: worker {index}: {exc}", err=True)
                code = 3
            finally:
                os._exit(code)
        children.append(pid)

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    worst = 0
    for child in children:
        _, status = os.waitpid(child, 0)
        code = os.waitstatus_to_exitcode(status)
        if code:
            worst = max(worst, code if code > 0 else 3)  # killed by a signal: a runtime failure
    return worst
