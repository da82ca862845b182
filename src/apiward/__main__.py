"""``python -m apiward`` — the same as the ``apiward`` command."""

from apiward.cli import main

main()
