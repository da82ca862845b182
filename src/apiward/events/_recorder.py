"""``Recorder``: fans one stream of events out to several sinks (itself an ``EventSink``)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from apiward.core import SecurityEvent
from apiward.events._sink import EventSink

__all__ = ["MemorySink", "Recorder"]


class Recorder:
    """Every event goes to every sink, in the order given. One failing sink never affects the others."""

    def __init__(self, sinks: Iterable[EventSink]) -> None:
        self.sinks: tuple[EventSink, ...] = tuple(sinks)

    def emit(self, event: SecurityEvent) -> None:
        for sink in self.sinks:
            try:
                sink.emit(event)
            except Exception:  # noqa: S112 - the contract says emit never raises; a third-party sink might
                continue

    async def start(self) -> None:
        for sink in self.sinks:
            await sink.start()

    async def aclose(self) -> None:
        await asyncio.gather(*(sink.aclose() for sink in self.sinks), return_exceptions=True)


class MemorySink:
    """Keeps events in a list: for tests and for wiring a detector straight to a consumer."""

    def __init__(self) -> None:
        self.events: list[SecurityEvent] = []

    def emit(self, event: SecurityEvent) -> None:
        self.events.append(event)

    async def start(self) -> None:
        return None

    async def aclose(self) -> None:
        return None
