"""Console renderer (rich): header with score and counts, findings grouped by severity, stats when present."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding

from apiward.core import Finding, Severity
from apiward.report._common import SEVERITY_ORDER, evidence_blocks, evidence_fields, stats_lines, summary_line
from apiward.report._model import Report

__all__ = ["render_console"]

_STYLE = {
    Severity.CRITICAL: "bold white on magenta",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "bold blue",
    Severity.INFO: "dim",
}


def _score_style(score: int) -> str:
    return "bold green" if score >= 80 else "bold yellow" if score >= 50 else "bold red"


def _finding(console: Console, finding: Finding) -> None:
    where = finding.operation.key if finding.operation else "(document)"
    if finding.location:
        where += f"  {finding.location}"
    confidence = f"[dim]({finding.confidence.label} confidence)[/]"
    console.print(f"  [bold]{escape(finding.check_id)}[/]  {escape(finding.title)}  {confidence}")
    body = [
        f"[cyan]{escape(where)}[/]",
        escape(finding.message),
        f"[green]fix:[/] {escape(finding.remediation)}",
        f"[dim]{finding.owasp.value} {escape(finding.owasp.title)} · {finding.cwe}[/]",
    ]
    body += [f"[dim]{escape(k)}:[/] {escape(v)}" for k, v in evidence_fields(finding)]
    for line in body:
        console.print(Padding(line, (0, 0, 0, 11)))
    for label, text in evidence_blocks(finding):
        console.print(Padding(f"[dim]{escape(label)}:[/]", (0, 0, 0, 11)))
        console.print(Padding(escape(text), (0, 0, 0, 13)), soft_wrap=False)
    console.print()


def render_console(report: Report, *, color: bool = False, width: int = 100) -> str:
    """Human report. ``color`` adds ANSI styles (for a terminal); without it the text is plain."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(f"[bold]apiward {report.kind}[/]  {escape(report.target)}")
    headline = escape(summary_line(report))
    if report.score is not None:
        headline = f"score [{_score_style(report.score)}]{report.score}/100[/]  ·  {headline}"
    console.print(headline)
    stats = stats_lines(report)
    if stats:
        console.print("  ·  ".join(f"{escape(k)}: {escape(v)}" for k, v in stats), style="dim")
    console.print()
    for severity in SEVERITY_ORDER:
        group = [f for f in report.findings if f.severity is severity]
        if not group:
            continue
        console.print(f"[{_STYLE[severity]}]{severity.label.upper()}[/] ({len(group)})")
        for finding in group:
            _finding(console, finding)
    if not report.findings:
        console.print("[bold green]No findings.[/]")
    return buffer.getvalue()
