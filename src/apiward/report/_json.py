"""JSON renderer: the full report (findings with fingerprints, rule catalogue, stats), stable key order."""

from __future__ import annotations

import json

from apiward.report._model import Report

__all__ = ["render_json"]


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
