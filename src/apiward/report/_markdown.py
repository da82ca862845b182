"""Markdown renderer (GitHub-flavoured): summary, counts table, findings grouped by severity."""

from __future__ import annotations

from apiward.core import Finding
from apiward.report._common import SEVERITY_ORDER, evidence_blocks, evidence_fields, stats_lines, summary_line
from apiward.report._model import Report

__all__ = ["render_markdown"]


def _cell(text: str) -> str:
    """Escape text for a table cell or inline position (pipes, backticks, newlines, HTML)."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("`", "\\`")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _fence(text: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}\n{text}\n{ticks}"


def _finding(finding: Finding) -> list[str]:
    where = finding.operation.key if finding.operation else "(document)"
    lines = [
        f"#### {_cell(finding.check_id)} {_cell(finding.title)}",
        "",
        f"- **Where:** {_cell(where)}" + (f" — {_cell(finding.location)}" if finding.location else ""),
        f"- **Confidence:** {finding.confidence.label} · **OWASP:** {finding.owasp.value} "
        f"({_cell(finding.owasp.title)}) · **{finding.cwe}**",
        f"- **Issue:** {_cell(finding.message)}",
        f"- **Fix:** {_cell(finding.remediation)}",
    ]
    lines += [f"- **{_cell(k)}:** {_cell(v)}" for k, v in evidence_fields(finding)]
    for label, text in evidence_blocks(finding):
        lines += ["", f"<details><summary>{_cell(label)}</summary>", "", _fence(text), "", "</details>"]
    lines.append("")
    return lines


def render_markdown(report: Report) -> str:
    title = "Audit" if report.kind == "audit" else "Scan"
    lines = [f"# apiward {title.lower()} report: {_cell(report.target)}", ""]
    if report.score is not None:
        lines.append(f"**Score: {report.score}/100** · {summary_line(report)}")
    else:
        lines.append(f"**{summary_line(report)}**")
    lines += ["", "| Severity | Findings |", "| --- | ---: |"]
    lines += [f"| {sev.label} | {n} |" for sev, n in report.counts().items()]
    stats = stats_lines(report)
    if stats:
        lines += ["", "| Stat | Value |", "| --- | --- |"]
        lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in stats]
    lines += ["", f"apiward {_cell(report.tool_version)}", ""]
    for severity in SEVERITY_ORDER:
        group = [f for f in report.findings if f.severity is severity]
        if not group:
            continue
        lines += [f"## {severity.label.capitalize()} ({len(group)})", ""]
        for finding in group:
            lines += _finding(finding)
    return "\n".join(lines).rstrip("\n") + "\n"
