"""Layer 4 — the command line. Thin: parse options, load config, run an engine, render, pick the exit code.

Exit codes: 0 clean, 1 findings at/above ``--fail-on``, 2 usage/config/spec error, 3 runtime failure.
"""

from __future__ import annotations

import click

from apiward._version import __version__
from apiward.cli._app import LazyGroup

__all__ = ["main"]


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="apiward")
def main() -> None:
    """apiward — secure APIs across their whole life.

    Test them before release (audit, scan), protect them at run time (gateway), watch them
    (events, inventory). Start with `apiward demo`; exit codes: 0 clean, 1 findings at/above
    --fail-on, 2 usage/config/spec error, 3 runtime failure.
    """
