"""Layer 3 — reports: render audit and scan findings as console text, JSON, SARIF 2.1.0, Markdown, HTML, JUnit."""

from apiward.report._baseline import filter_baseline, load_baseline
from apiward.report._model import REPORT_FORMAT_VERSION, Report, ReportKind, RuleInfo
from apiward.report._render import FORMATS, Renderer, render

__all__ = [
    "FORMATS",
    "REPORT_FORMAT_VERSION",
    "Renderer",
    "Report",
    "ReportKind",
    "RuleInfo",
    "filter_baseline",
    "load_baseline",
    "render",
]
