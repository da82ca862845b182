"""Small helpers shared by the renderers: evidence blocks, stats lines, severity labels."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from apiward.core import Finding, Severity
from apiward.report._model import Report

__all__ = ["SEVERITY_ORDER", "evidence_blocks", "evidence_fields", "stats_lines", "summary_line", "to_text"]

SEVERITY_ORDER = tuple(sorted(Severity, reverse=True))

#: Evidence keys rendered as pre-formatted blocks (already redacted by whoever built the finding).
_BLOCK_KEYS = ("request", "response", "curl")


def to_text(value: Any) -> str:
    """Text form of an evidence value: strings as they are, the rest as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and {"method", "url"} <= set(value):
        return _http_text(value)
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def _http_text(message: Mapping[str, Any]) -> str:
    lines = [f"{message.get('method', '')} {message.get('url', '')}".strip()]
    headers = message.get("headers") or {}
    if isinstance(headers, Mapping):
        lines += [f"{k}: {v}" for k, v in headers.items()]
    body = message.get("body")
    if body:
        lines += ["", to_text(body)]
    return "\n".join(lines)


def evidence_blocks(finding: Finding) -> list[tuple[str, str]]:
    """``(label, text)`` for the evidence shown as blocks: request, response, curl reproduction."""
    return [(key, to_text(finding.evidence[key])) for key in _BLOCK_KEYS if finding.evidence.get(key)]


def evidence_fields(finding: Finding) -> list[tuple[str, str]]:
    """``(key, text)`` for the remaining evidence, in key order."""
    return [(k, to_text(v)) for k, v in sorted(finding.evidence.items()) if k not in _BLOCK_KEYS]


def summary_line(report: Report) -> str:
    """``3 findings: 1 high, 2 low`` (or ``no findings``)."""
    total = len(report.findings)
    if not total:
        return "no findings"
    parts = [f"{n} {sev.label}" for sev, n in report.counts().items() if n]
    return f"{total} finding{'s' if total != 1 else ''}: " + ", ".join(parts)


def stats_lines(report: Report) -> list[tuple[str, str]]:
    """Human ``(label, value)`` pairs for the stats a report carries (scan requests, coverage ...)."""
    stats = report.stats
    out: list[tuple[str, str]] = []
    if "operations" in stats:
        out.append(("operations", str(stats["operations"])))
    if "rules_run" in stats:
        out.append(("rules run", str(stats["rules_run"])))
    if "requests" in stats:
        out.append(("requests", str(stats["requests"])))
    if "duration_s" in stats:
        out.append(("duration", f"{float(stats['duration_s']):.2f} s"))
    coverage = stats.get("coverage")
    if isinstance(coverage, Mapping) and coverage:
        tested = sum(1 for v in coverage.values() if not isinstance(v, Mapping) or v.get("requests", 1))
        out.append(("coverage", f"{tested}/{len(coverage)} operations exercised"))
    if "ignored_in_spec" in stats:
        out.append(("ignored (x-apiward-ignore)", str(stats["ignored_in_spec"])))
    if "suppressed" in stats:
        out.append(("suppressed by baseline", str(stats["suppressed"])))
    return out
