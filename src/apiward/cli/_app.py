"""The explicit, ordered list of CLI commands (no discovery)."""

from __future__ import annotations

import click

__all__ = ["commands"]


def commands() -> list[click.Command]:
    """Every top-level command, in help order. Imports are local so ``--help`` stays fast."""
    from apiward.cli._audit import audit
    from apiward.cli._demo import demo
    from apiward.cli._detect import detect
    from apiward.cli._events import events
    from apiward.cli._gateway import gateway
    from apiward.cli._inventory import inventory
    from apiward.cli._scan import scan

    return [audit, scan, gateway, detect, events, inventory, demo]
