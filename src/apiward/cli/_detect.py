"""`apiward detect` (being built)."""

from __future__ import annotations

import click

__all__ = ["detect"]


@click.command(name="detect")
def detect() -> None:
    """Not available yet in this build."""
    raise click.UsageError("'apiward detect' is not available yet in this build")
