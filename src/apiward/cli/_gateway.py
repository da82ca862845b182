"""`apiward gateway` (being built)."""

from __future__ import annotations

import click

__all__ = ["gateway"]


@click.command(name="gateway")
def gateway() -> None:
    """Not available yet in this build."""
    raise click.UsageError("'apiward gateway' is not available yet in this build")
