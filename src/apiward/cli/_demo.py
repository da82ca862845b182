"""`apiward demo`: scan a bundled vulnerable API, write the report, then protect it with the gateway.

apiward demo                                   the whole story in one command (exit 0 on success)
apiward demo serve --app vulnerable --port N   run one of the demo apps on 127.0.0.1
apiward demo config --target URL               print a ready scan config for its identities
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import click
import yaml

from apiward._version import __version__
from apiward.cli._common import handle_errors, parse_id_list, write_output
from apiward.core import Finding, TargetError
from apiward.demo import LOOPBACK, ServerHandle, create_app, demo_scan_config, serve

__all__ = ["demo"]

#: Gateway settings for the protect step; everything else is the gateway's safe defaults.
_GATEWAY_POLICIES: dict[str, Any] = {
    "validate_request": {"strict": True},
    "ratelimit": {"limits": [{"name": "per-identity", "key": "identity", "requests": 600, "period_s": 10}]},
    "response_validate": {"undocumented_fields": "strip", "invalid": "log"},
    "response_mask": {},
    "response_scrub": {},
}


@contextmanager
def _spec_path() -> Iterator[Path]:
    with resources.as_file(resources.files("apiward.demo").joinpath("openapi.yaml")) as path:
        yield path


class _Progress:
    """Scan progress on standard error: one updating line on a terminal, a line per check otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()

    def __call__(self, event: Any) -> None:
        if event.kind != "check":
            return
        line = f"{self.label}: check {event.done}/{event.total} {event.message} ({event.requests} requests)"
        if self.tty:
            click.echo(f"\r\033[K{line}", nl=False, err=True)
        else:
            click.echo(line, err=True)

    def stop(self) -> None:
        if self.tty:
            click.echo("\r\033[K", nl=False, err=True)


async def _scan(target: str, spec: Path, *, checks: tuple[str, ...] = (), label: str = "scan") -> Any:
    from apiward.scan import ScanConfig, Scanner
    from apiward.spec import load

    config = ScanConfig.from_mapping({**demo_scan_config(target), **({"checks": list(checks)} if checks else {})})
    progress = _Progress(label)
    scanner = Scanner(load(spec), target=target, config=config, on_event=progress)
    try:
        return scanner, await scanner.run()
    finally:
        progress.stop()


def _write_report(scanner: Any, result: Any, target: str, started: datetime, output: Path) -> None:
    from apiward.cli._scan import check_info
    from apiward.report import Report, render

    report = Report(
        kind="scan",
        tool_version=__version__,
        target=target,
        findings=tuple(result.findings),
        stats=dict(result.stats),
        rules=tuple(check_info(c) for c in scanner.checks),
        started=started,
        finished=datetime.now(UTC),
    )
    write_output(render(report, "html"), output)


def _by_check(findings: tuple[Finding, ...]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        groups.setdefault(finding.check_id, []).append(finding)
    return groups


def _summary(findings: tuple[Finding, ...], requests: int, seconds: float) -> str:
    counts = Counter(f.severity.label for f in findings)
    by_severity = ", ".join(
        f"{label} {counts[label]}" for label in ("critical", "high", "medium", "low", "info") if counts[label]
    )
    lines = [f"{len(findings)} confirmed weaknesses ({by_severity}) from {requests} requests in {seconds:.0f} s:", ""]
    for check_id, group in _by_check(findings).items():
        first = group[0]
        lines.append(f"  {first.severity.label:<8}  {check_id}  {first.title}  ×{len(group)}")
    return "\n".join(lines) + "\n"


async def _protect(app: ServerHandle, spec: Path, findings: tuple[Finding, ...]) -> tuple[int, int]:
    """Start the gateway in front of the app and re-run each confirmed attack through it."""
    from apiward.gateway import serve as serve_gateway

    config = {"spec": str(spec), "upstream": {"url": app.url}, "policies": _GATEWAY_POLICIES}
    click.echo("\nProtecting it: starting the apiward gateway (compiling its attack detectors takes a few seconds) …")
    gateway = await serve_gateway(config, host=LOOPBACK, port=0)
    url = f"http://{LOOPBACK}:{gateway.port}"
    click.echo(f"apiward gateway on {url} now fronts the app, enforcing the demo's OpenAPI description.")
    click.echo("Re-running each confirmed attack through the gateway:\n")
    try:
        checks = tuple(sorted({f.check_id for f in findings}))
        _, again = await _scan(url, spec, checks=checks, label="replay")
    finally:
        await gateway.close()
    still = {f.fingerprint for f in again.findings}
    blocked = 0
    for check_id, group in _by_check(findings).items():
        stopped = sum(f.fingerprint not in still for f in group)
        blocked += stopped
        if stopped == len(group):
            mark = click.style("blocked   ", fg="green")
        elif stopped:
            mark = click.style("partly    ", fg="yellow")
        else:
            mark = click.style("still open", fg="red")
        click.echo(f"  {mark}  {stopped:>2}/{len(group):<2}  {check_id}  {group[0].title}")
    stats = again.stats
    working = [name for name, ok in stats.get("identities_ok", {}).items() if ok]
    click.echo(
        f"\nLegitimate use still works through the gateway: {stats.get('operations_succeeded', 0)} of "
        f"{stats.get('operations', 0)} operations answered 2xx; "
        f"identities still logging in: {', '.join(working) or 'none'}."
    )
    return blocked, len(findings)


@click.group(name="demo", invoke_without_command=True)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=Path("apiward-report.html"),
    show_default=True,
    help="Where to write the HTML report.",
)
@click.option("--protect/--no-protect", default=True, help="After the scan, put the gateway in front and replay.")
@click.option(
    "--checks", "only", metavar="IDS", help="Run only these checks (comma-separated ids), for a quicker tour."
)
@click.pass_context
@handle_errors
def demo(ctx: click.Context, report_path: Path, protect: bool, only: str | None) -> None:
    """Scan a deliberately vulnerable demo API, write the HTML report, then protect it with the gateway.

    Everything runs on 127.0.0.1: the demo API, the scanner's callback listener and the gateway.

    \b
    Examples:
      apiward demo
      apiward demo serve --app secure --port 8000
      apiward demo config --target http://127.0.0.1:8000 > scan.yaml
    """
    if ctx.invoked_subcommand is not None:
        return
    with _spec_path() as spec, serve(create_app(secure=False)) as app:
        click.echo(f"apiward demo: a deliberately vulnerable shop API is running on {app.url} (loopback only).")
        click.echo("Scanning it as alice, bob (same role), carol (low privilege), admin and anonymous …\n")
        started = datetime.now(UTC)
        scanner, result = asyncio.run(_scan(app.url, spec, checks=parse_id_list(only)))
        _write_report(scanner, result, app.url, started, report_path)
        seconds = (datetime.now(UTC) - started).total_seconds()
        click.echo(_summary(result.findings, int(result.stats.get("requests", 0)), seconds))
        click.echo(f"HTML report written to {report_path}")
        if not protect:
            return
        try:
            import apiward.gateway  # noqa: F401 - is the gateway part of this build?
        except ImportError:
            click.echo("\nprotect: the apiward gateway is not available in this build; skipping that step.")
            return
        blocked, total = asyncio.run(_protect(app, spec, result.findings))
        rest = "" if blocked == total else "; the others need a fix in the API itself (see the report)"
        click.echo(
            f"\n{blocked} of {total} confirmed weaknesses are blocked by the gateway{rest}. "
            "The secure twin (apiward demo serve --app secure) has none of them."
        )


@demo.command(name="serve")
@click.option(
    "--app",
    "kind",
    type=click.Choice(["vulnerable", "secure"]),
    default="vulnerable",
    show_default=True,
    help="The vulnerable app or its secure twin.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0 = any free port.")
@click.option("--host", default=LOOPBACK, show_default=True, help="Only 127.0.0.1 is accepted.")
@handle_errors
def serve_command(kind: str, port: int, host: str) -> None:
    """Run the vulnerable demo API or its secure twin on 127.0.0.1 until interrupted."""
    try:
        handle = serve(create_app(secure=kind == "secure"), port, host=host)
    except TargetError as exc:
        raise TargetError(f"{exc} (try --port 0 for any free port)") from exc
    click.echo(f"{kind} demo API on {handle.url} (OpenAPI description: {handle.url}/openapi.yaml)")
    click.echo(f"scan config: apiward demo config --target {handle.url}    stop: Ctrl-C", err=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            if not handle.running:
                raise TargetError("the demo server stopped unexpectedly")
    except KeyboardInterrupt:
        click.echo("stopping", err=True)
    finally:
        handle.close()


@demo.command(name="config")
@click.option(
    "--target",
    default=f"http://{LOOPBACK}:8000",
    show_default=True,
    metavar="URL",
    help="Where the demo API runs (see 'apiward demo serve').",
)
@handle_errors
def config_command(target: str) -> None:
    """Print a ready scan config (YAML) for the demo's identities: alice, bob, carol, admin, anonymous."""
    text = "# apiward scan config for the demo API (apiward demo config)\n"
    text += yaml.safe_dump(demo_scan_config(target), sort_keys=False, allow_unicode=True)
    write_output(text, None)
