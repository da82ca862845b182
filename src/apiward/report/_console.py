"""Console renderer (rich): header with score and counts, then findings grouped by severity and rule.

Each rule appears once per severity with its title, taxonomy and fix, followed by the places where it
fired — so a rule that fires on fifty operations costs fifty short lines, not fifty paragraphs.
Scan evidence (request, response, curl reproduction) is printed under its place.
"""

from __future__ import annotations

import io
import re
from itertools import groupby

from rich.console import Console
from rich.markup import escape as _escape_markup
from rich.padding import Padding

from apiward.core import Finding, Severity
from apiward.report._common import SEVERITY_ORDER, evidence_blocks, evidence_fields, stats_lines, summary_line
from apiward.report._model import Report

__all__ = ["render_console"]

_STYLE = {
    Severity.CRITICAL: "bold magenta",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "bold blue",
    Severity.INFO: "dim",
}
#: Evidence keys that only machine formats need (JSON, SARIF carry them).
_QUIET = frozenset({"pointer", "line"})
#: Control characters (ESC, BEL, C1 ...) from a description or a response must never reach the terminal
#: raw: they could rewrite the screen or the window title. Newlines and tabs are kept.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """Text safe to print: control characters shown as ``\\xNN``, rich markup escaped."""
    return _escape_markup(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


def _score_style(score: int) -> str:
    return "bold green" if score >= 80 else "bold yellow" if score >= 50 else "bold red"


def _place(finding: Finding) -> list[str]:
    """Markup lines for one place (relative to the rule's indentation)."""
    where = finding.operation.key if finding.operation else ""
    if finding.location:
        where = f"{where}  {finding.location}" if where else finding.location
    lines = [f"[cyan]{escape(where or '(document)')}[/]  {escape(finding.message)}"]
    extra = [f"{k}: {v}" for k, v in evidence_fields(finding) if k not in _QUIET]
    if extra:
        lines.append(f"  [dim]{escape('  ·  '.join(extra))}[/]")
    for label, text in evidence_blocks(finding):
        lines.append(f"  [dim]{escape(label)}:[/]")
        lines += [f"    {escape(line)}" for line in text.splitlines()]
    return lines


def _rule_group(console: Console, findings: list[Finding], max_places: int) -> None:
    first = findings[0]
    console.print(
        f"  [bold]{escape(first.check_id)}[/]  {escape(first.title)}  "
        f"[dim]{first.owasp.value} · {first.cwe} · {first.confidence.label} confidence[/]"
    )
    # One print per rule, not per line: rich's per-call overhead dominates on descriptions with thousands
    # of findings. Continuation lines of a wrapped place align with the rule's places.
    lines = [line for finding in findings[:max_places] for line in _place(finding)]
    if len(findings) > max_places:
        lines.append(f"[dim]… and {len(findings) - max_places} more (all are in the json, html and sarif formats)[/]")
    lines.append(f"[green]fix:[/] {escape(first.remediation)}")
    console.print(Padding("\n".join(lines), (0, 0, 0, 4), expand=False))
    console.print()


#: Places listed per rule and severity; the rest are counted. A terminal is for reading, not for 3,000 lines.
MAX_PLACES = 25


def render_console(report: Report, *, color: bool = False, width: int = 100, max_places: int = MAX_PLACES) -> str:
    """Human report. ``color`` adds ANSI styles (for a terminal); without it the text is plain.

    Each rule lists at most ``max_places`` places per severity and counts the others.
    """
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
    )
    console.print(f"[bold]apiward {report.kind}[/]  {escape(report.target)}")
    headline = escape(summary_line(report))
    if report.score is not None:
        headline = f"score [{_score_style(report.score)}]{report.score}/100[/]  ·  {headline}"
    console.print(headline)
    stats = stats_lines(report)
    if stats:
        console.print(escape("  ·  ".join(f"{k}: {v}" for k, v in stats)), style="dim")
    console.print()
    for severity in SEVERITY_ORDER:
        group = sorted((f for f in report.findings if f.severity is severity), key=lambda f: (f.check_id, f.sort_key))
        if not group:
            continue
        console.print(f"[{_STYLE[severity]}]{severity.label.upper()}[/] ({len(group)})")
        for _rule_id, findings in groupby(group, key=lambda f: f.check_id):
            _rule_group(console, list(findings), max_places)
    if not report.findings:
        console.print("[bold green]No findings.[/]")
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
