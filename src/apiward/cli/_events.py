"""`apiward events`: query the audit trail and build forensic timelines (SQLite, JSONL or PostgreSQL stores)."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import orjson
from rich.console import Console
from rich.table import Table

from apiward.cli._common import EXIT_FINDINGS, fail_on_option, handle_errors, write_output
from apiward.core import Decision, SecurityEvent, Severity
from apiward.events import EventQuery, EventStore, open_store

__all__ = ["events", "parse_when"]

_F = TypeVar("_F", bound=Callable[..., Any])

DEFAULT_STORE = "apiward-events.sqlite"
_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_when(value: str, *, now: float | None = None) -> float:
    """``15m`` / ``2h`` / ``7d`` ago, a Unix timestamp, or ISO 8601 (UTC when no offset is given)."""
    text = value.strip()
    if m := _RELATIVE.match(text):
        return (now if now is not None else time.time()) - float(m.group(1)) * _UNIT_S[m.group(2)]
    try:
        return float(text)
    except ValueError:
        pass
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r}: use 15m, 2h, 7d, a Unix time or ISO 8601") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def _when_option(name: str, help_text: str) -> Callable[[_F], _F]:
    return click.option(
        name, callback=lambda _c, _p, v: parse_when(v) if v else None, default=None, metavar="WHEN", help=help_text
    )


def _fmt_ts(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"


def _open(store: str) -> EventStore:
    return open_store(store)


def _table(rows: list[SecurityEvent], title: str, *, delta: bool = False) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in ("time", *(("+",) if delta else ()), "kind", "decision", "operation", "status", "ip", "subject", "why"):
        table.add_column(col, overflow="fold")
    prev: float | None = None
    for e in rows:
        op = e.operation.key if e.operation else f"{e.method or ''} {e.path or ''}".strip()
        why = e.reason or ",".join(e.matched_rules)
        cells = [
            _fmt_ts(e.timestamp),
            *((f"{e.timestamp - prev:.3f}s" if prev is not None else "",) if delta else ()),
            e.kind,
            e.decision.value,
            op,
            str(e.status) if e.status is not None else "",
            e.client_ip or "",
            e.identity.subject if e.identity else "",
            why,
        ]
        table.add_row(*cells)
        prev = e.timestamp
    return table


def _console() -> Console:
    """Full width on a terminal; wide (no folding) when piped, so lines stay greppable."""
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 220)


def _json(data: Any) -> None:
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode())


store_option = click.option(
    "--store",
    envvar="APIWARD_EVENTS_STORE",
    default=DEFAULT_STORE,
    show_default=True,
    help="Event store: sqlite:///FILE, jsonl:///FILE, postgresql://…?table=T, or a file path.",
)
format_opt = click.option(
    "--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)


@click.group(name="events")
def events() -> None:
    """Query the audit trail and build forensic timelines."""


@events.command(name="query")
@store_option
@click.option("--identity", "--subject", "subject", help="Authenticated subject (user, client id).")
@click.option("--ip", "client_ip", help="Client IP address.")
@click.option("--token", "token_fp", help="Token fingerprint (sha256:…).")
@click.option("--operation", help='Operation, e.g. "GET /users/{id}".')
@click.option("--decision", type=click.Choice([d.value for d in Decision]))
@click.option("--kind", type=click.Choice(["request", "detection"]))
@_when_option("--since", "Only events at or after WHEN (15m, 2h, 7d, Unix time, ISO 8601).")
@_when_option("--until", "Only events before WHEN.")
@click.option("--limit", type=click.IntRange(min=0), default=1000, show_default=True, help="Most recent N (0: all).")
@format_opt
@handle_errors
def query(
    store: str,
    subject: str | None,
    client_ip: str | None,
    token_fp: str | None,
    operation: str | None,
    decision: str | None,
    kind: str | None,
    since: float | None,
    until: float | None,
    limit: int,
    fmt: str,
) -> None:
    """Events matching every filter given, oldest first."""
    q = EventQuery(
        subject=subject,
        client_ip=client_ip,
        token_fp=token_fp,
        operation=operation,
        decision=Decision(decision) if decision else None,
        kind=kind,
        since=since,
        until=until,
        limit=limit or None,
    )
    st = _open(store)
    try:
        rows = st.query(q)
    finally:
        st.close()
    if fmt == "json":
        _json([e.to_dict() for e in rows])
        return
    _console().print(_table(rows, f"{len(rows)} event(s) from {st.name}"))


def _summary(principal: str, rows: list[SecurityEvent]) -> dict[str, Any]:
    decisions = Counter(e.decision.value for e in rows)
    return {
        "principal": principal,
        "events": len(rows),
        "first_seen": _fmt_ts(rows[0].timestamp) if rows else None,
        "last_seen": _fmt_ts(rows[-1].timestamp) if rows else None,
        "decisions": dict(sorted(decisions.items())),
        "subjects": sorted({e.identity.subject for e in rows if e.identity}),
        "ips": sorted({e.client_ip for e in rows if e.client_ip}),
        "tokens": sorted({e.identity.token_fingerprint for e in rows if e.identity and e.identity.token_fingerprint}),
        "user_agents": sorted({e.user_agent for e in rows if e.user_agent}),
        "operations": dict(Counter(e.operation.key for e in rows if e.operation).most_common(10)),
        "detections": [
            {"time": _fmt_ts(e.timestamp), "rule": ",".join(e.matched_rules), "reason": e.reason}
            for e in rows
            if e.kind == "detection"
        ],
    }


@events.command(name="timeline")
@click.argument("principal")
@store_option
@_when_option("--since", "Start of the window (15m, 2h, 7d, Unix time, ISO 8601).")
@_when_option("--until", "End of the window.")
@click.option("--limit", type=click.IntRange(min=0), default=5000, show_default=True, help="Most recent N (0: all).")
@format_opt
@handle_errors
def timeline(principal: str, store: str, since: float | None, until: float | None, limit: int, fmt: str) -> None:
    """Forensic timeline of PRINCIPAL: a subject, a token fingerprint or a client IP."""
    st = _open(store)
    try:
        rows = st.query(EventQuery(principal=principal, since=since, until=until, limit=limit or None))
    finally:
        st.close()
    summary = _summary(principal, rows)
    if fmt == "json":
        _json({"summary": summary, "events": [e.to_dict() for e in rows]})
        return
    console = _console()
    if not rows:
        console.print(f"no events for {principal!r} in {st.name}")
        return
    console.print(
        f"[bold]{principal}[/bold]: {summary['events']} event(s), {summary['first_seen']} → {summary['last_seen']}"
    )
    for key in ("decisions", "subjects", "ips", "tokens", "user_agents", "operations"):
        if summary[key]:
            console.print(f"  {key}: {summary[key]}", markup=False, highlight=False)
    for d in summary["detections"]:
        console.print(f"  [red]detection[/red] {d['time']} {d['rule']}: {d['reason']}")
    console.print(_table(rows, "timeline", delta=True))


@events.command(name="reference")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@handle_errors
def reference(output: Path | None) -> None:
    """Print the events, detectors and inventory reference page (Markdown), generated from the code."""
    from apiward.analytics._reference import render_reference

    write_output(render_reference(), output)


@events.command(name="detect")
@store_option
@_when_option("--since", "Replay events at or after WHEN.")
@_when_option("--until", "Replay events before WHEN.")
@click.option("--state", default="memory://", show_default=True, help="Detector state: memory:// or redis://….")
@click.option("--record", metavar="SINK_URL", help="Also write the alerts to this event sink (e.g. the store).")
@fail_on_option("high")
@format_opt
@handle_errors
def detect(
    store: str,
    since: float | None,
    until: float | None,
    state: str,
    record: str | None,
    fail_on: Severity | None,
    fmt: str,
) -> None:
    """Replay stored request events through the behavioural detectors and list the alerts.

    Re-inspects an audit trail after the fact (new detectors, changed thresholds, an incident review).
    Exit 1 when an alert is at or above --fail-on.
    """
    import asyncio

    from apiward.analytics import BehaviourMonitor
    from apiward.events import open_sink
    from apiward.state import open_backend

    st = _open(store)
    try:
        rows = st.query(EventQuery(kind="request", since=since, until=until, limit=None))
    finally:
        st.close()

    async def run() -> list[SecurityEvent]:
        backend = open_backend(state, prefix="apiward-replay:")
        sink = open_sink(record) if record else None
        if sink is not None:
            await sink.start()
        monitor = BehaviourMonitor(backend, sink=sink)
        alerts: list[SecurityEvent] = []
        try:
            for event in rows:
                alerts.extend(await monitor.observe(event))
        finally:
            await monitor.aclose()
            await backend.aclose()
            if sink is not None:
                await sink.aclose()
        return alerts

    alerts = asyncio.run(run())
    if fmt == "json":
        _json([a.to_dict() for a in alerts])
    else:
        console = _console()
        console.print(f"{len(rows)} request event(s) replayed, {len(alerts)} alert(s)")
        if alerts:
            table = Table(header_style="bold")
            for col in ("time", "detector", "severity", "principal", "reason"):
                table.add_column(col, overflow="fold")
            for a in alerts:
                p = a.detail.get("principal", {})
                table.add_row(
                    _fmt_ts(a.timestamp),
                    ",".join(a.matched_rules),
                    a.severity.label,
                    f"{p.get('kind')}:{p.get('value')}",
                    a.reason or "",
                )
            console.print(table)
    if fail_on is not None and any(a.severity >= fail_on for a in alerts):
        sys.exit(EXIT_FINDINGS)


@events.command(name="purge")
@store_option
@click.option(
    "--older-than",
    "older_than",
    required=True,
    metavar="AGE",
    callback=lambda _c, _p, v: parse_when(v),
    help="Delete events older than AGE (90d, 12w, 2h) or than a date (ISO 8601).",
)
@handle_errors
def purge(store: str, older_than: float) -> None:
    """Delete old events from a SQLite or PostgreSQL store (retention)."""
    st = _open(store)
    try:
        deleted = st.purge(older_than)
    finally:
        st.close()
    click.echo(f"deleted {deleted} event(s) older than {_fmt_ts(older_than)} from {st.name}")
