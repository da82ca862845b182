"""Layer 2 — traffic turned into knowledge: behavioural detectors, inventory, sensitive-data classification.

monitor = BehaviourMonitor(state, sink=recorder, remediation=Remediation(state))
alerts = await monitor.observe(event)   # per request event; alerts are SecurityEvents (kind="detection")
"""

from apiward.analytics._baseline import Baseline, BaselineView
from apiward.analytics._classify import classify_text, classify_value
from apiward.analytics._detector import Detection, Detector, DetectorInfo, DetectorRegistry, Principal
from apiward.analytics._exempt import Exemptions
from apiward.analytics._export import to_openapi
from apiward.analytics._ingest import read_traffic
from apiward.analytics._inventory import Endpoint, Inventory, InventoryBuilder
from apiward.analytics._metrics import CONTENT_TYPE, AnalyticsMetrics, SinkStatsCollector
from apiward.analytics._monitor import BehaviourMonitor, default_detectors
from apiward.analytics._monitor_sink import MonitorSink, MonitorSinkStats
from apiward.analytics._remediation import Remediation, RemediationSettings
from apiward.analytics._signals import principal_of
from apiward.analytics._simulate import Actor, Scenario, generate

__all__ = [
    "CONTENT_TYPE",
    "Actor",
    "AnalyticsMetrics",
    "Baseline",
    "BaselineView",
    "BehaviourMonitor",
    "Detection",
    "Detector",
    "DetectorInfo",
    "DetectorRegistry",
    "Endpoint",
    "Exemptions",
    "Inventory",
    "InventoryBuilder",
    "MonitorSink",
    "MonitorSinkStats",
    "Principal",
    "Remediation",
    "RemediationSettings",
    "Scenario",
    "SinkStatsCollector",
    "classify_text",
    "classify_value",
    "default_detectors",
    "generate",
    "principal_of",
    "read_traffic",
    "to_openapi",
]
