"""Prometheus metrics for the gateway's traffic (from its events) and the detectors, on an own registry.

Nothing is registered in prometheus-client's global default registry, so several monitors (and tests)
never collide. Serve :meth:`AnalyticsMetrics.render` at ``/metrics``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from apiward.core import SecurityEvent

__all__ = ["CONTENT_TYPE", "AnalyticsMetrics", "SinkStatsCollector"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_DETECTOR_BUCKETS = (0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05)


class AnalyticsMetrics:
    def __init__(
        self, registry: CollectorRegistry | None = None, *, max_operations: int = 500, count_requests: bool = True
    ) -> None:
        """``registry``: register into an existing registry (the gateway's, to serve one ``/metrics``);
        ``count_requests=False`` leaves request counts and latencies to the gateway's own metrics."""
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        self._count_requests = count_requests
        self._operations: set[str] = set()
        self._max_operations = max_operations
        r = self.registry
        self.requests = Counter(
            "apiward_requests", "Gateway requests by decision and operation.", ["decision", "operation"], registry=r
        )
        self.latency = Histogram(
            "apiward_request_latency_seconds",
            "Gateway request latency by operation.",
            ["operation"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.detections = Counter(
            "apiward_detections",
            "Behavioural detections by detector and severity.",
            ["detector", "severity"],
            registry=r,
        )
        self.detector_seconds = Histogram(
            "apiward_detector_seconds",
            "Time one detector added to a request (sampled 1 in 16 requests).",
            ["detector"],
            buckets=_DETECTOR_BUCKETS,
            registry=r,
        )
        self.detectors_seconds = Histogram(
            "apiward_detectors_seconds",
            "Time all detectors together added to one request.",
            buckets=_DETECTOR_BUCKETS,
            registry=r,
        )
        self.detector_errors = Counter(
            "apiward_detector_errors", "Detector failures (state backend down, bug).", ["detector"], registry=r
        )
        self.remediations = Counter("apiward_remediations", "Remediation actions taken.", ["action"], registry=r)

    def _operation_label(self, event: SecurityEvent) -> str:
        """Operation templates are bounded by the spec; unmatched paths share one label (no cardinality blow-up)."""
        if event.operation is None:
            return "unmatched"
        key = event.operation.key
        if key not in self._operations:
            if len(self._operations) >= self._max_operations:
                return "other"
            self._operations.add(key)
        return key

    def observe_request(self, event: SecurityEvent) -> None:
        if event.kind != "request" or not self._count_requests:
            return
        op = self._operation_label(event)
        self.requests.labels(event.decision.value, op).inc()
        if event.latency_ms is not None:
            self.latency.labels(op).observe(event.latency_ms / 1000.0)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class SinkStatsCollector:
    """Exposes event sinks (anything with a ``name`` and ``stats``) to Prometheus: counters and backlog gauges."""

    _FIELDS = ("accepted", "spilled", "dropped", "written", "replayed", "write_errors", "spool_errors", "corrupt")

    def __init__(self, sinks: Iterable[Any]) -> None:
        self._sinks = list(sinks)

    _GAUGES = (
        ("queue_depth", "Events waiting in memory for the sink's writer."),
        ("spool_backlog_bytes", "Spooled bytes the store has not confirmed yet."),
    )

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        for field in self._FIELDS:
            family = CounterMetricFamily(
                f"apiward_event_sink_{field}", f"Event sink counter: {field}.", labels=["sink"]
            )
            for sink in self._sinks:
                family.add_metric([sink.name], float(getattr(sink.stats, field)))
            yield family
        for attr, help_text in self._GAUGES:
            gauge = GaugeMetricFamily(f"apiward_event_sink_{attr}", help_text, labels=["sink"])
            for sink in self._sinks:
                if hasattr(sink, attr):
                    gauge.add_metric([sink.name], float(getattr(sink, attr)))
            yield gauge

    def describe(self) -> Iterator[CounterMetricFamily]:
        return iter(())
