"""``render(report, fmt)`` and the ordered table of formats."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from apiward.core import ConfigError
from apiward.report._console import render_console
from apiward.report._html import render_html
from apiward.report._json import render_json
from apiward.report._junit import render_junit
from apiward.report._markdown import render_markdown
from apiward.report._model import Report
from apiward.report._sarif import render_sarif

__all__ = ["FORMATS", "Renderer", "render"]

Renderer = Callable[[Report], str]

#: Every output format, in help order. Names are stable (CLI ``--format`` values).
FORMATS: Mapping[str, Renderer] = MappingProxyType(
    {
        "console": render_console,
        "json": render_json,
        "sarif": render_sarif,
        "markdown": render_markdown,
        "html": render_html,
        "junit": render_junit,
    }
)


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    """Render ``report`` as ``fmt`` (one of :data:`FORMATS`). ``color`` applies to ``console`` only."""
    name = fmt.lower()
    if name == "console":
        return render_console(report, color=color)
    renderer = FORMATS.get(name)
    if renderer is None:
        raise ConfigError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return renderer(report)
