"""`apiward events` (being built)."""

from __future__ import annotations

import click

__all__ = ["events"]


@click.command(name="events")
def events() -> None:
    """Not available yet in this build."""
    raise click.UsageError("'apiward events' is not available yet in this build")
