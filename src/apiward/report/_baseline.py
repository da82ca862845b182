"""Baselines: fingerprints from a previous JSON (or SARIF) report, to report only new findings."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from apiward.core import Finding, InputError

__all__ = ["filter_baseline", "load_baseline"]


def _from_json_report(doc: dict[str, Any], source: str) -> set[str]:
    findings = doc.get("findings")
    if not isinstance(findings, list):
        raise InputError("not an apiward JSON report: 'findings' must be a list", source=source, pointer="/findings")
    out: set[str] = set()
    for i, item in enumerate(findings):
        fingerprint = item.get("fingerprint") if isinstance(item, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise InputError("finding has no 'fingerprint' string", source=source, pointer=f"/findings/{i}")
        out.add(fingerprint)
    return out


def _from_sarif(doc: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for run in doc.get("runs") or []:
        for result in run.get("results") or []:
            for key, value in (result.get("partialFingerprints") or {}).items():
                if key.startswith("apiward/") and isinstance(value, str):
                    out.add(value)
    return out


def load_baseline(path: str | Path) -> set[str]:
    """Fingerprints of the findings in a previous apiward report (``--format json`` or ``sarif``)."""
    source = str(path)
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read baseline: {exc.strerror or exc}", source=source) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"baseline is not valid JSON: {exc}", source=source) from exc
    if not isinstance(doc, dict):
        raise InputError("baseline must be a JSON object (an apiward JSON or SARIF report)", source=source)
    if "runs" in doc and "findings" not in doc:
        return _from_sarif(doc)
    return _from_json_report(doc, source)


def filter_baseline(findings: Iterable[Finding], baseline: set[str]) -> tuple[Finding, ...]:
    """The findings whose fingerprint is not in ``baseline`` (the new ones)."""
    return tuple(f for f in findings if f.fingerprint not in baseline)
