"""`apiward scan` (being built)."""

from __future__ import annotations

import click

__all__ = ["scan"]


@click.command(name="scan")
def scan() -> None:
    """Not available yet in this build."""
    raise click.UsageError("'apiward scan' is not available yet in this build")
