"""Layer 4 — the command line. Thin: parse options, load config, run an engine, render, pick the exit code.

Exit codes: 0 clean, 1 findings at/above ``--fail-on``, 2 usage/config/spec error, 3 runtime failure.
"""

from __future__ import annotations

import click

from apiward._version import __version__
from apiward.cli._app import commands

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="apiward")
def main() -> None:
    """apiward — secure APIs across their whole life.

    \b
    discover  inventory        traffic -> inventory, shadow/zombie endpoints, inferred OpenAPI
    test      audit            static security audit of an API description
              scan             active scanner (DAST): BOLA, auth, injection, misconfiguration
    protect   gateway          security gateway: JWT/OAuth, authorisation, limits, schema, WAF
    watch     events           query the audit trail and forensic timelines
    engine    detect           evaluate and explain the attack-detection engine
    try it    demo             scan a bundled vulnerable API, then protect it
    """


for _command in commands():
    main.add_command(_command)
