"""``BatchWriter``: the synchronous, store-specific half of a sink, run on the sink's writer thread."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from apiward.core import SecurityEvent

__all__ = ["BatchWriter"]


class BatchWriter(Protocol):
    """Writes batches to one store. ``write`` raises on failure; the sink retries after ``close``/``open``."""

    #: Short, secret-free description used in spool names, logs and error messages.
    name: str

    def open(self) -> None: ...

    def write(self, batch: Sequence[SecurityEvent], docs: Sequence[bytes]) -> None:
        """Store ``batch``; ``docs[i]`` is ``batch[i]`` already serialised (``to_dict`` as JSON), to reuse."""
        ...

    def close(self) -> None: ...
