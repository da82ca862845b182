"""`apiward inventory` (being built)."""

from __future__ import annotations

import click

__all__ = ["inventory"]


@click.command(name="inventory")
def inventory() -> None:
    """Not available yet in this build."""
    raise click.UsageError("'apiward inventory' is not available yet in this build")
