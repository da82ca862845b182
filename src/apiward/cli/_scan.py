"""`apiward scan`: the active scanner (DAST) against a running API."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from apiward._version import __version__
from apiward.cli._common import (
    exit_code_for,
    fail_on_option,
    format_option,
    handle_errors,
    min_severity_option,
    output_option,
    parse_id_list,
    write_output,
)
from apiward.core import ConfigError, Severity
from apiward.report import FORMATS, Report, RuleInfo, filter_baseline, load_baseline, render
from apiward.scan import Check, ScanConfig, ScanEvent, Scanner, builtin_checks
from apiward.spec import load

__all__ = ["check_info", "scan"]


def check_info(chk: Check) -> RuleInfo:
    """A check's catalogue entry as reports show it."""
    m = chk.meta
    return RuleInfo(
        id=m.id,
        title=m.title,
        severity=m.severity,
        confidence=m.confidence,
        owasp=m.owasp,
        cwe=m.cwe,
        description=m.doc.split("\n\n", 1)[0].replace("\n", " "),
        fix=m.remediation,
    )


def _list_checks() -> str:
    lines = [f"{'id':<8} {'name':<30} {'severity':<9} {'owasp':<11} {'cwe':<9} title"]
    for c in sorted(builtin_checks(), key=lambda c: c.id):
        m = c.meta
        lines.append(f"{m.id:<8} {m.name:<30} {m.severity.label:<9} {m.owasp.value:<11} {m.cwe!s:<9} {m.title}")
    return "\n".join(lines) + "\n"


class _Progress:
    """Renders scan events: a rich progress bar on a TTY, plain lines otherwise (both on stderr)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = enabled and sys.stderr.isatty()
        self._bar: Any = None
        self._task: Any = None
        if self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("requests {task.fields[requests]} · findings {task.fields[findings]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task("operations", total=None, requests=0, findings=0)
            self._bar.start()

    def __call__(self, event: ScanEvent) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            fields: dict[str, Any] = {}
            if event.requests:
                fields["requests"] = event.requests
            if event.findings:
                fields["findings"] = event.findings
            if event.kind == "operation":
                self._bar.update(
                    self._task, description="operations", completed=event.done, total=event.total, **fields
                )
            elif event.kind == "check":
                self._bar.update(
                    self._task,
                    description=f"checks ({event.message})",
                    completed=event.done,
                    total=event.total,
                    **fields,
                )
            elif event.kind == "warning":
                self._bar.console.print(f"[yellow]warning:[/] {event.message}")
            return
        if event.kind in ("phase", "warning"):
            click.echo(f"scan: {event.kind}: {event.message}", err=True)
        elif event.kind == "check":
            click.echo(
                f"scan: check {event.done}/{event.total} {event.message} "
                f"(requests {event.requests}, findings {event.findings})",
                err=True,
            )
        elif event.kind == "done":
            click.echo(f"scan: done: {event.requests} requests, {event.findings} findings", err=True)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _with_curl(text: str) -> str:
    """JSON report: lift each finding's ``evidence.curl`` to a top-level ``curl`` key for consumers."""
    doc = json.loads(text)
    for finding in doc.get("findings", []):
        finding["curl"] = (finding.get("evidence") or {}).get("curl")
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@click.command(name="scan")
@click.argument("spec", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--target", "-t", metavar="URL", help="Base URL of the running API (overrides 'target' in --config).")
@click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Scan config (YAML): identities, throwaway accounts, limits, options.",
)
@format_option(FORMATS)
@output_option()
@fail_on_option("high")
@min_severity_option("info")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A previous JSON or SARIF report: report only findings that are not in it.",
)
@click.option("--checks", "only", metavar="IDS", help="Run only these checks (comma-separated ids or names).")
@click.option("--skip-checks", "skip", metavar="IDS", help="Do not run these checks (comma-separated).")
@click.option("--concurrency", type=click.IntRange(1, 256), help="Requests in flight at once.")
@click.option("--rate-limit", type=click.FloatRange(0), help="Maximum requests per second (0 = unlimited).")
@click.option("--max-requests", type=click.IntRange(1), help="Stop after this many requests.")
@click.option("--max-time", type=click.FloatRange(1), help="Stop after this many seconds.")
@click.option("--progress/--no-progress", default=True, help="Show progress on standard error.")
@click.option("--list-checks", is_flag=True, help="List the checks (id, name, severity, OWASP, CWE) and exit.")
@handle_errors
def scan_command(
    spec: str | None,
    target: str | None,
    config_path: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: Severity,
    min_severity: Severity,
    baseline: Path | None,
    only: str | None,
    skip: str | None,
    concurrency: int | None,
    rate_limit: float | None,
    max_requests: int | None,
    max_time: float | None,
    progress: bool,
    list_checks: bool,
) -> None:
    """Scan the running API described by SPEC (OpenAPI file or URL) at --target.

    \b
    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
                2 usage, config or spec error, 3 runtime failure (target unreachable).
    \b
    Examples:
      apiward scan openapi.yaml --target http://127.0.0.1:8000 --config scan.yaml
      apiward scan openapi.yaml -t http://127.0.0.1:8000 -c scan.yaml -f sarif -o scan.sarif --fail-on high
      apiward scan openapi.yaml -t http://127.0.0.1:8000 --checks SCN-001,SCN-100 --baseline last.json
    """
    if list_checks:
        write_output(_list_checks(), output)
        return
    if not spec:
        raise click.UsageError("give the API description (SPEC) of the API to scan")
    config = ScanConfig.from_yaml(config_path) if config_path else ScanConfig()
    overrides: dict[str, Any] = {}
    if only:
        overrides["checks"] = parse_id_list(only)
    if skip:
        overrides["exclude_checks"] = parse_id_list(skip)
    for key, value in (
        ("concurrency", concurrency),
        ("rate_limit", rate_limit),
        ("max_requests", max_requests),
        ("max_seconds", max_time),
    ):
        if value is not None:
            overrides[key] = value
    config = dataclasses.replace(config, **overrides)
    target = target or config.target
    if not target:
        raise click.UsageError("give --target URL (or 'target' in --config)")
    if not target.startswith(("http://", "https://")):
        raise ConfigError(f"expected an http(s) URL, got {target!r}", pointer="--target")
    model = load(spec)
    scanner = Scanner(model, target=target, config=config, on_event=(reporter := _Progress(progress)))
    started = datetime.now(UTC)
    try:
        result = asyncio.run(scanner.run())
    finally:
        reporter.stop()
    findings = [f for f in result.findings if f.severity >= min_severity]
    stats: dict[str, Any] = dict(result.stats)
    if baseline is not None:
        new = filter_baseline(findings, load_baseline(baseline))
        stats["suppressed"] = len(findings) - len(new)
        findings = list(new)
    report = Report(
        kind="scan",
        tool_version=__version__,
        target=target,
        findings=tuple(findings),
        stats=stats,
        rules=tuple(check_info(c) for c in scanner.checks),
        started=started,
        finished=datetime.now(UTC),
    )
    color = fmt == "console" and output is None and sys.stdout.isatty()
    text = render(report, fmt, color=color)
    if fmt == "json":
        text = _with_curl(text)
    write_output(text, output)
    code = exit_code_for(findings, fail_on)
    if code:
        sys.exit(code)


scan = scan_command
