"""`apiward demo` (being built)."""

from __future__ import annotations

import click

__all__ = ["demo"]


@click.command(name="demo")
def demo() -> None:
    """Not available yet in this build."""
    raise click.UsageError("'apiward demo' is not available yet in this build")
