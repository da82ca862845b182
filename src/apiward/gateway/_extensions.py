"""Extensions: event sinks that ride along with the audit trail, wired in by the embedding program.

The gateway knows nothing of what consumes its events beyond the audit sink. An embedder (the CLI, which
may import packages of the gateway's own layer such as the behavioural analytics) passes
``serve(config, extensions=factory)``; the factory is called once per gateway, when it starts, with an
:class:`ExtensionContext`, and returns extra sinks. Every request event the audit policy records is also
emitted to them (fanned out through :class:`apiward.events.Recorder`); they are started before the first
request and closed after the last, outliving config reloads. Events they produce themselves (alerts) go
to ``ctx.trail``, the live audit sink, so they land in the same audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from apiward.core import SecurityEvent
    from apiward.events import EventSink
    from apiward.gateway._config import GatewayConfig
    from apiward.state import StateBackend

__all__ = ["AuditTrail", "ExtensionContext", "ExtensionFactory"]


class AuditTrail:
    """An :class:`~apiward.events.EventSink` writing into the audit sink of whatever config is live.

    Start and close are no-ops: the audit policy owns its sink. With no audit policy running (turned off,
    or between close and start) an event is counted in ``dropped`` and discarded.
    """

    def __init__(self, current: Callable[[], EventSink | None]) -> None:
        self._current = current
        self.dropped = 0

    def emit(self, event: SecurityEvent) -> None:
        sink = self._current()
        if sink is None:
            self.dropped += 1
            return
        sink.emit(event)

    async def start(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtensionContext:
    """What an extension factory gets: the config as loaded at start, the gateway's state backend (shared by
    instances when it is Redis; also the block list), its Prometheus registry (served on the admin
    ``/metrics``) and the audit trail."""

    config: GatewayConfig
    state: StateBackend
    registry: CollectorRegistry
    trail: AuditTrail


ExtensionFactory = Callable[[ExtensionContext], Sequence["EventSink"]]
