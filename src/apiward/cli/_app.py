"""The explicit, ordered list of CLI commands (no discovery), loaded lazily.

Each command module imports its engine (the gateway, psycopg, the demo app ...), so importing them all
would make every ``apiward`` run pay for all of them. The group below knows each command's name,
module and one-line help, and imports a module only when its command runs (or its own ``--help``).
"""

from __future__ import annotations

import importlib

import click

__all__ = ["COMMANDS", "LazyGroup"]

#: name -> (module, attribute, one-line help), in help order.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "audit": ("apiward.cli._audit", "audit", "Static security audit of an API description."),
    "scan": ("apiward.cli._scan", "scan", "Active scan (DAST) of a running API: BOLA, auth, injection, misconfig."),
    "gateway": ("apiward.cli._gateway", "gateway", "Run the security gateway in front of an API."),
    "detect": ("apiward.cli._detect", "detect", "Evaluate and explain the attack-detection engine."),
    "events": ("apiward.cli._events", "events", "Query the audit trail and forensic timelines."),
    "inventory": ("apiward.cli._inventory", "inventory", "Turn traffic (events, HAR, access logs) into an inventory."),
    "demo": ("apiward.cli._demo", "demo", "Scan the bundled vulnerable API, then protect it."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attribute, _ = entry
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, _, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
