"""SARIF 2.1.0 renderer for code scanning (GitHub, GitLab, Azure DevOps).

Each rule or check is a ``reportingDescriptor`` with its OWASP tag and CWE in ``properties.tags`` and a
``security-severity`` score (GitHub's convention); each finding is a ``result`` pointing at the API
description (``physicalLocation``; ``region`` when the finding knows its line) and at the operation
(``logicalLocation``), with apiward's stable fingerprint in ``partialFingerprints`` so code scanning
tracks it across runs.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from apiward.core import Finding, Severity
from apiward.report._common import evidence_blocks, evidence_fields
from apiward.report._model import Report, RuleInfo

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "render_sarif"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_FINGERPRINT_KEY = "apiward/v1"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
#: GitHub maps security-severity to critical (>= 9), high (7–8.9), medium (4–6.9), low (0.1–3.9).
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def _artifact_uri(target: str) -> str:
    """A URI reference for the API description that code scanning can map to the repository.

    URLs stay as they are; a relative path becomes a relative reference; an absolute path becomes relative
    to the working directory when it lies under it (CI runs from the checkout root), else a ``file://`` URI.
    """
    if urlsplit(target).scheme in ("http", "https", "file"):
        return target
    path = Path(target)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_uri()
    return quote(path.as_posix(), safe="/:._-~")


def _rule_name(title: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title)) or "Rule"


def _descriptor(info: RuleInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "name": _rule_name(info.title),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.description or info.title},
        "help": {
            "text": f"{info.description}\n\nFix: {info.fix}",
            "markdown": f"{info.description}\n\n**Fix:** {info.fix}\n\n{info.owasp.value} {info.owasp.title} · "
            f"[{info.cwe}]({info.cwe.url})",
        },
        "helpUri": info.help_uri or info.cwe.url,
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {
            "tags": ["security", info.owasp.value, str(info.cwe), f"external/cwe/cwe-{info.cwe.id}"],
            "precision": {3: "high", 2: "medium", 1: "low"}[int(info.confidence)],
            "security-severity": _SECURITY_SEVERITY[info.severity],
            "owasp": info.owasp.value,
            "cwe": str(info.cwe),
        },
    }


def _catalogue(report: Report) -> list[RuleInfo]:
    """The report's rules plus a minimal entry for any finding whose rule the catalogue lacks."""
    rules = list(report.rules)
    known = {r.id for r in rules}
    for f in report.findings:
        if f.check_id not in known:
            known.add(f.check_id)
            rules.append(
                RuleInfo(
                    id=f.check_id,
                    title=f.title,
                    severity=f.severity,
                    confidence=f.confidence,
                    owasp=f.owasp,
                    cwe=f.cwe,
                    description=f.title,
                    fix=f.remediation,
                )
            )
    return rules


def _result(finding: Finding, index: int, uri: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    line = finding.evidence.get("line")
    if isinstance(line, int) and line > 0:
        physical["region"] = {"startLine": line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.operation is not None:
        logical: dict[str, Any] = {"name": finding.operation.key, "kind": "function"}
        if finding.operation.operation_id:
            logical["fullyQualifiedName"] = finding.operation.operation_id
        location["logicalLocations"] = [logical]
    # Code-scanning UIs show the message next to the file, not the logical location: name the operation.
    prefix = f"{finding.operation.key}: " if finding.operation is not None else ""
    message = prefix + finding.message + (f" ({finding.location})" if finding.location else "")
    properties: dict[str, Any] = {
        "severity": finding.severity.label,
        "confidence": finding.confidence.label,
        "owasp": finding.owasp.value,
        "cwe": str(finding.cwe),
        "remediation": finding.remediation,
    }
    properties.update(evidence_fields(finding))
    properties.update(evidence_blocks(finding))  # request, response, curl: already redacted by the scanner
    return {
        "ruleId": finding.check_id,
        "ruleIndex": index,
        "level": _LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {_FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def render_sarif(report: Report) -> str:
    rules = _catalogue(report)
    index = {r.id: i for i, r in enumerate(rules)}
    uri = _artifact_uri(report.target)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "apiward",
                "version": report.tool_version,
                "rules": [_descriptor(r) for r in rules],
            }
        },
        "automationDetails": {"id": f"apiward/{report.kind}/"},
        "invocations": [
            {
                "executionSuccessful": True,
                "startTimeUtc": _utc(report.started),
                "endTimeUtc": _utc(report.finished),
            }
        ],
        "artifacts": [{"location": {"uri": uri}}],
        "results": [_result(f, index[f.check_id], uri) for f in report.findings],
        "properties": {"kind": report.kind, "score": report.score, "stats": dict(report.stats)},
    }
    doc = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"
