"""Prometheus metrics of one gateway process (its own registry, so several gateways can share a process)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    def __init__(self) -> None:
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "apiward_gateway_requests",
            "Requests by decision, operation and status class.",
            ("decision", "operation", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "apiward_gateway_request_duration_seconds",
            "Time from request parsed to response ready, by decision.",
            ("decision",),
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.upstream_latency = Histogram(
            "apiward_gateway_upstream_duration_seconds",
            "Upstream round-trip time.",
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.rules = Counter(
            "apiward_gateway_rule_matches", "Rules that matched (any mode).", ("rule",), registry=self.registry
        )
        self.config_info = Gauge(
            "apiward_gateway_config_info", "The loaded config version (value 1).", ("version",), registry=self.registry
        )
        self.connections = Gauge(
            "apiward_gateway_open_connections", "Client connections currently open.", registry=self.registry
        )
        self.reloads = Counter(
            "apiward_gateway_config_reloads", "Config reloads by result.", ("result",), registry=self.registry
        )

    def set_version(self, version: str) -> None:
        self.config_info.clear()
        self.config_info.labels(version=version).set(1)

    def observe(self, *, decision: str, operation: str, status: int, seconds: float, rules: list[str]) -> None:
        key = (decision, operation, status // 100)
        children = self._children.get(key)
        if children is None:  # label lookups cost more than the increments: resolve each combination once
            children = (self.requests.labels(decision, operation, f"{status // 100}xx"), self.latency.labels(decision))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)
        for rule in rules:
            self.rules.labels(rule).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
