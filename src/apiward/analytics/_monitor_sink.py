"""``MonitorSink``: an :class:`~apiward.events.EventSink` that feeds a :class:`BehaviourMonitor`.

It lets anything that already emits request events (the gateway's audit policy) run the detectors
without knowing about them: wrap the audit sink, and every event is recorded *and* observed.

    sink = MonitorSink(monitor, inner=open_sink("sqlite:///var/lib/apiward/events.sqlite"))

``emit`` stays non-blocking: events go to a bounded queue drained, in order, by one task on the event
loop. When the queue is full the event is still recorded by the inner sink but not observed
(``stats.skipped``) — detection degrades, the request path never waits.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from apiward.analytics._monitor import BehaviourMonitor
from apiward.core import SecurityEvent, spawn
from apiward.events import EventSink

__all__ = ["MonitorSink", "MonitorSinkStats"]


@dataclass(slots=True)
class MonitorSinkStats:
    observed: int = 0
    skipped: int = 0
    alerts: int = 0


class MonitorSink:
    def __init__(self, monitor: BehaviourMonitor, *, inner: EventSink | None = None, max_queue: int = 10_000) -> None:
        self.monitor = monitor
        self.inner = inner
        if monitor.sink is None and inner is not None:
            monitor.sink = inner  # alerts land in the same audit trail
        self.stats = MonitorSinkStats()
        self._queue: asyncio.Queue[SecurityEvent | None] = asyncio.Queue(maxsize=max_queue)
        self._task: asyncio.Task[None] | None = None

    def emit(self, event: SecurityEvent) -> None:
        if self.inner is not None:
            self.inner.emit(event)
        if event.kind != "request":
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.stats.skipped += 1

    async def start(self) -> None:
        if self.inner is not None:
            await self.inner.start()
        if self._task is None:
            self._task = spawn(self._drain(), name="apiward-monitor-sink")

    async def _drain(self) -> None:
        while True:
            event = await self._queue.get()
            try:
                if event is None:
                    return
                alerts = await self.monitor.observe(event)
                self.stats.observed += 1
                self.stats.alerts += len(alerts)
            finally:
                self._queue.task_done()

    async def join(self) -> None:
        """Wait until every queued event has been observed."""
        await self._queue.join()

    async def aclose(self) -> None:
        if self._task is not None:
            await self._queue.put(None)
            await self._task
            self._task = None
        await self.monitor.aclose()
        if self.inner is not None:
            await self.inner.aclose()
