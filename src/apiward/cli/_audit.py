"""`apiward audit` (being built)."""

from __future__ import annotations

import click

__all__ = ["audit"]


@click.command(name="audit")
def audit() -> None:
    """Not available yet in this build."""
    raise click.UsageError("'apiward audit' is not available yet in this build")
