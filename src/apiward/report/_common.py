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
_BLOCK_KEYS = ("request", "response", "control", "curl")


def to_text(value: Any) -> str:
    """Text form of an evidence value: HTTP messages as on the wire, strings as they are, the rest as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if {"method", "url"} <= set(value):
            return _http_text(f"{value.get('method', '')} {value.get('url', '')}", value)
        if "status" in value:
            elapsed = f"  ({value['elapsed_ms']} ms)" if value.get("elapsed_ms") is not None else ""
            return _http_text(f"HTTP {value['status']}{elapsed}", value)
        if {"request", "response"} & set(value):
            return "\n\n".join(to_text(value[k]) for k in ("request", "response") if value.get(k))
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    """Headers given as a mapping or as ``[[name, value], ...]`` pairs."""
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    if isinstance(headers, list | tuple):
        return [(str(p[0]), str(p[1])) for p in headers if isinstance(p, list | tuple) and len(p) == 2]
    return []


def _http_text(first_line: str, message: Mapping[str, Any]) -> str:
    lines = [first_line.strip()]
    if message.get("identity"):
        lines.append(f"# as identity: {message['identity']}")
    lines += [f"{k}: {v}" for k, v in _header_pairs(message.get("headers"))]
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
