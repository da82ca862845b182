"""``BehaviourMonitor``: runs the detectors over each request event, records alerts, applies remediation."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

from apiward.analytics._detector import Detection, Detector, DetectorRegistry
from apiward.analytics._exempt import Exemptions
from apiward.analytics._metrics import AnalyticsMetrics
from apiward.analytics._remediation import Remediation
from apiward.analytics.detectors.bola_enumeration import BolaEnumeration
from apiward.analytics.detectors.brute_force import BruteForce
from apiward.analytics.detectors.credential_stuffing import CredentialStuffing
from apiward.analytics.detectors.error_probing import ErrorProbing
from apiward.analytics.detectors.exfiltration import Exfiltration
from apiward.analytics.detectors.request_rate import OffBaselineRate
from apiward.analytics.detectors.sequential_ids import SequentialIdWalk
from apiward.analytics.detectors.token_sharing import TokenSharing
from apiward.core import SecurityEvent
from apiward.events import EventSink
from apiward.state import MemoryBackend, StateBackend

__all__ = ["BehaviourMonitor", "default_detectors"]

log = logging.getLogger("apiward.analytics")

_TIMING_SAMPLE = 16


def default_detectors() -> list[Detector]:
    """The built-in detectors, in the order they run. Plugins append; they never reorder these."""
    return [
        BolaEnumeration(),
        SequentialIdWalk(),
        CredentialStuffing(),
        BruteForce(),
        TokenSharing(),
        Exfiltration(),
        ErrorProbing(),
        OffBaselineRate(),
    ]


def _action_label(action: str) -> str:
    """``blocked ip 1.2.3.4 for 900s`` -> ``blocked_ip``; ``not blocked: …`` -> ``exempt``."""
    if action.startswith("not blocked"):
        return "exempt"
    if action.startswith("block failed"):
        return "block_failed"
    return "_".join(action.split()[:2])


class BehaviourMonitor:
    """Feed it every request event (``await monitor.observe(event)``); it returns the alerts it raised.

    Detectors are monitoring, not enforcement: a detector that fails (e.g. Redis unreachable) is counted
    in ``apiward_detector_errors`` and skipped, and the request is unaffected. Enforcement happens through
    the block list that remediation fills, which the gateway's block-list policy reads.
    """

    def __init__(
        self,
        state: StateBackend | None = None,
        *,
        detectors: Iterable[Detector] | None = None,
        sink: EventSink | None = None,
        remediation: Remediation | None = None,
        metrics: AnalyticsMetrics | None = None,
        concurrent: bool | None = None,
        exempt: Exemptions | None = None,
    ) -> None:
        self.state: StateBackend = state if state is not None else MemoryBackend()
        self.detectors = DetectorRegistry(default_detectors() if detectors is None else detectors)
        self.sink = sink
        self.remediation = remediation
        self.metrics = metrics if metrics is not None else AnalyticsMetrics()
        # With a networked backend, run detectors concurrently so their round trips overlap.
        self._concurrent = not isinstance(self.state, MemoryBackend) if concurrent is None else concurrent
        self._ordered: tuple[Detector, ...] = tuple(self.detectors)
        self._timers = {d.info.id: self.metrics.detector_seconds.labels(d.info.id) for d in self._ordered}
        self._total = self.metrics.detectors_seconds
        self._count = 0
        self.exempt = exempt if exempt else None

    async def _run(self, detector: Detector, event: SecurityEvent, timed: bool) -> Detection | None:
        started = time.perf_counter() if timed else 0.0
        try:
            return await detector.observe(event, self.state)
        except Exception as exc:  # monitoring fails open by design; see the class docstring
            self.metrics.detector_errors.labels(detector.info.id).inc()
            log.warning("detector %s failed: %s", detector.info.id, exc)
            return None
        finally:
            if timed:
                self._timers[detector.info.id].observe(time.perf_counter() - started)

    async def observe(self, event: SecurityEvent) -> list[SecurityEvent]:
        self.metrics.observe_request(event)
        if event.kind != "request" or (self.exempt is not None and self.exempt.covers(event)):
            return []
        detectors = self._ordered
        self._count += 1
        # Per-detector timing costs about as much as a cheap detector, so it is sampled; the total is not.
        timed = self._count % _TIMING_SAMPLE == 0
        started = time.perf_counter()
        if self._concurrent:
            results = await asyncio.gather(*(self._run(d, event, timed) for d in detectors))
        else:
            results = [await self._run(d, event, timed) for d in detectors]
        self._total.observe(time.perf_counter() - started)
        alerts: list[SecurityEvent] = []
        for detector, detection in zip(detectors, results, strict=True):
            if detection is None:
                continue
            actions: tuple[str, ...] = ()
            if self.remediation is not None:
                try:
                    actions = await self.remediation.block(detector.info, detection)
                except Exception as exc:  # a failed block must not lose the alert
                    self.metrics.detector_errors.labels(detector.info.id).inc()
                    actions = (f"block failed: {exc}",)
                for action in actions:
                    self.metrics.remediations.labels(_action_label(action)).inc()
            alert = detection.to_event(detector.info, event, actions=actions)
            self.metrics.detections.labels(detector.info.id, detector.info.severity.label).inc()
            if self.remediation is not None:
                self.remediation.notify(detector.info, alert)
            if self.sink is not None:
                self.sink.emit(alert)
            alerts.append(alert)
        return alerts

    async def aclose(self) -> None:
        if self.remediation is not None:
            await self.remediation.aclose()
