"""HTML renderer: one self-contained page (inline CSS, no scripts, no external assets); all text escaped."""

from __future__ import annotations

from collections import Counter
from html import escape

from apiward.core import Finding, Severity
from apiward.report._common import SEVERITY_ORDER, evidence_blocks, evidence_fields, stats_lines, summary_line
from apiward.report._model import Report

__all__ = ["render_html"]

_COLOURS = {
    Severity.CRITICAL: "#7b1fa2",
    Severity.HIGH: "#c62828",
    Severity.MEDIUM: "#ef6c00",
    Severity.LOW: "#1565c0",
    Severity.INFO: "#546e7a",
}

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#1d1d1f}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
.sev{display:inline-block;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.8rem;text-transform:uppercase}
.score{font-size:2rem;font-weight:700}
table{border-collapse:collapse}td,th{padding:.2rem .8rem;border-bottom:1px solid #eee;text-align:left}
details{margin:.6rem 0;border:1px solid #ddd;border-radius:6px;padding:.4rem .8rem}
summary{cursor:pointer}pre{background:#f6f8fa;padding:.6rem;overflow:auto;white-space:pre-wrap}
code{background:#f6f8fa;padding:0 .2rem}.muted{color:#666}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _badge(severity: Severity) -> str:
    return f'<span class="sev" style="background:{_COLOURS[severity]}">{_e(severity.label)}</span>'


def _finding(finding: Finding) -> str:
    where = finding.operation.key if finding.operation else "(document)"
    rows = [
        (
            "Where",
            f"<code>{_e(where)}</code>" + (f" — <code>{_e(finding.location)}</code>" if finding.location else ""),
        ),
        ("Issue", _e(finding.message)),
        ("Fix", _e(finding.remediation)),
        ("Confidence", _e(finding.confidence.label)),
        (
            "Taxonomy",
            f"{_e(finding.owasp.value)} {_e(finding.owasp.title)} · "
            f'<a href="{_e(finding.cwe.url)}">{_e(finding.cwe)}</a>',
        ),
        ("Fingerprint", f"<code>{_e(finding.fingerprint)}</code>"),
    ]
    rows += [(k, _e(v)) for k, v in evidence_fields(finding)]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    blocks = "".join(f"<h4>{_e(label)}</h4><pre>{_e(text)}</pre>" for label, text in evidence_blocks(finding))
    return (
        f"<details><summary>{_badge(finding.severity)} <strong>{_e(finding.check_id)}</strong> "
        f"{_e(finding.title)} <span class='muted'>{_e(where)}</span></summary>"
        f"<table>{body}</table>{blocks}</details>"
    )


def _catalogue(report: Report) -> str:
    """Every rule or check that ran, with its finding count: what passed is part of the result too."""
    counts = Counter(f.check_id for f in report.findings)
    rows = "".join(
        f"<tr><td><code>{_e(r.id)}</code></td><td>{_e(r.title)}</td><td>{_badge(r.severity)}</td>"
        f"<td>{_e(r.owasp.value)}</td><td>{_e(r.cwe)}</td><td>{counts.get(r.id, 0) or '✓'}</td></tr>"
        for r in report.rules
    )
    head = "<tr><th>Id</th><th>Title</th><th>Severity</th><th>OWASP</th><th>CWE</th><th>Findings</th></tr>"
    return f"<h2>Rules run ({len(report.rules)})</h2><table>{head}{rows}</table>"


def render_html(report: Report) -> str:
    title = f"apiward {report.kind} report: {report.target}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No external assets: the page must open offline and leak nothing when shared.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
    ]
    if report.score is not None:
        parts.append(f'<p><span class="score">{report.score}/100</span> score</p>')
    parts.append(f"<p>{_e(summary_line(report))}</p>")
    counts = "".join(f"<tr><td>{_badge(sev)}</td><td>{n}</td></tr>" for sev, n in report.counts().items())
    parts.append(f"<table><tr><th>Severity</th><th>Findings</th></tr>{counts}</table>")
    stats = stats_lines(report)
    if stats:
        rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in stats)
        parts.append(f"<h2>Statistics</h2><table>{rows}</table>")
    for severity in SEVERITY_ORDER:
        group = [f for f in report.findings if f.severity is severity]
        if group:
            parts.append(f"<h2>{_e(severity.label.capitalize())} ({len(group)})</h2>")
            parts += [_finding(f) for f in group]
    if report.rules:
        parts.append(_catalogue(report))
    parts.append(
        f'<p class="muted">apiward {_e(report.tool_version)} · started {_e(report.started.isoformat())} · '
        f"{report.duration_s:.2f} s</p></body></html>"
    )
    return "\n".join(parts) + "\n"
