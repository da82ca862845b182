"""``EventSink``: where the gateway and the detectors hand their ``SecurityEvent`` records.

Back-pressure policy (every built-in sink, see :class:`apiward.events.SpooledSink`):

* ``emit()`` never blocks on the store and never raises. It serialises the event, appends it to the
  sink's disk spool with one ``write(2)`` and, while the in-memory queue has room, queues it for the
  sink's writer thread.
* When the queue is full the event is **spooled only, not dropped**: the writer drains the queue, then
  catches up from the spool in order, then returns to the queue.
* An event is dropped (and counted in ``stats.dropped``) only when it cannot be spooled (disk full,
  spool over ``max_spool_bytes``) *and* the queue is full, or when the spool is disabled and the queue is full.
* Delivery is at-least-once: after a crash the spool is replayed from the last committed offset; stores
  with a primary key (SQLite, PostgreSQL) drop the duplicates by event id.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from apiward.core import SecurityEvent

__all__ = ["EventSink"]


@runtime_checkable
class EventSink(Protocol):
    """The contract between event producers (gateway, detectors) and event stores."""

    def emit(self, event: SecurityEvent) -> None:
        """Accept one event. Never blocks on I/O to the store and never raises."""
        ...

    async def start(self) -> None:
        """Start delivering (connect, replay the spool). Events emitted before ``start`` are kept."""
        ...

    async def aclose(self) -> None:
        """Flush what can be flushed, then stop. Undelivered events stay in the spool for the next start."""
        ...
