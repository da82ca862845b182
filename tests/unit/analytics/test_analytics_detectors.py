"""Every detector: a case that must fire and one that must not, with state in memory and in Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio as aioredis

from apiward.analytics import BehaviourMonitor, DetectorRegistry, Remediation, RemediationSettings
from apiward.analytics.detectors.bola_enumeration import BolaEnumeration
from apiward.analytics.detectors.brute_force import BruteForce
from apiward.analytics.detectors.credential_stuffing import CredentialStuffing
from apiward.analytics.detectors.error_probing import ErrorProbing
from apiward.analytics.detectors.exfiltration import Exfiltration
from apiward.analytics.detectors.request_rate import OffBaselineRate
from apiward.analytics.detectors.sequential_ids import SequentialIdWalk
from apiward.analytics.detectors.token_sharing import TokenSharing
from apiward.core import Decision, Identity, Operation, SecurityEvent, token_fingerprint
from apiward.events import MemorySink
from apiward.state import MemoryBackend, RedisBackend, StateBackend

T0 = 1_700_000_000.0


@pytest.fixture(params=["memory", "redis"])
async def state(request: pytest.FixtureRequest) -> AsyncIterator[StateBackend]:
    if request.param == "memory":
        yield MemoryBackend()
        return
    url = request.getfixturevalue("redis_url")
    prefix = f"apiward-test-{uuid.uuid4().hex[:8]}:"
    backend = RedisBackend(url, prefix=prefix)
    yield backend
    await backend.aclose()
    client = aioredis.Redis.from_url(url)
    keys = [k async for k in client.scan_iter(match=f"{prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def req(
    user: str | None = "alice",
    *,
    path: str = "/orders/1",
    template: str = "/orders/{id}",
    method: str = "GET",
    status: int = 200,
    ip: str = "198.51.100.1",
    ua: str = "app/1.0",
    t: float = T0,
    token: str | None = None,
    response_bytes: int = 500,
    **detail: object,
) -> SecurityEvent:
    identity = None
    if user is not None:
        identity = Identity(subject=user, kind="jwt", token_fingerprint=token_fingerprint(token or f"tok-{user}"))
    return SecurityEvent(
        kind="request",
        decision=Decision.ALLOW,
        operation=Operation(method=method, path=template),
        method=method,
        path=path,
        status=status,
        client_ip=ip,
        user_agent=ua,
        identity=identity,
        timestamp=t,
        response_bytes=response_bytes,
        detail=detail,
    )


async def feed(monitor: BehaviourMonitor, events: list[SecurityEvent]) -> list[str]:
    fired: list[str] = []
    for e in events:
        fired.extend(a.matched_rules[0] for a in await monitor.observe(e))
    return fired


Case = Callable[[], list[SecurityEvent]]


def bola_fire() -> list[SecurityEvent]:
    return [req("mallory", path=f"/orders/{7000 + i * 37}", status=403, t=T0 + i) for i in range(12)]


def bola_quiet() -> list[SecurityEvent]:  # a user revisiting a few of their own orders
    return [req("alice", path=f"/orders/{(1, 2, 3, 5)[i % 4]}", t=T0 + i) for i in range(200)]


def seq_fire() -> list[SecurityEvent]:
    return [req("mallory", path=f"/orders/{100 + i}", t=T0 + i) for i in range(10)]


def seq_quiet() -> list[SecurityEvent]:  # jumps between ids, repeats, some consecutive pairs
    ids = [4, 5, 9, 9, 10, 2, 3, 40, 41, 42, 7, 8, 1]
    return [req("alice", path=f"/orders/{i}", t=T0 + n) for n, i in enumerate(ids)]


def login(ip: str, username: str, t: float, status: int = 401) -> SecurityEvent:
    return req(None, path="/login", template="/login", method="POST", status=status, ip=ip, t=t, username=username)


def stuffing_fire() -> list[SecurityEvent]:
    return [login("203.0.113.9", f"user{i}@example.com", T0 + i) for i in range(25)]


def stuffing_quiet() -> list[SecurityEvent]:  # an office NAT: many people, a few typos, mostly successes
    out = []
    for i in range(60):
        out.append(login("192.0.2.50", f"user{i % 20}", T0 + i, status=401 if i % 6 == 0 else 200))
    return out


def brute_fire() -> list[SecurityEvent]:
    return [login(f"203.0.113.{i}", "admin", T0 + i * 5) for i in range(12)]


def brute_quiet() -> list[SecurityEvent]:
    return [login("192.0.2.1", "bob", T0 + i * 200, status=401 if i < 3 else 200) for i in range(6)]


def sharing_fire() -> list[SecurityEvent]:
    return [req("carol", ip=f"203.0.113.{i * 10}", t=T0 + i, path="/orders/1") for i in range(6)]


def sharing_quiet() -> list[SecurityEvent]:  # phone on wifi and on mobile data
    return [req("carol", ip=("192.0.2.1", "198.51.100.77")[i % 2], t=T0 + i * 10) for i in range(40)]


def _history(user: str, windows: int, per_window: int, nbytes: int, window_s: float) -> list[SecurityEvent]:
    return [
        req(user, t=T0 + w * window_s + i, path="/orders/1", response_bytes=nbytes)
        for w in range(windows)
        for i in range(per_window)
    ]


def exfil_fire() -> list[SecurityEvent]:
    history = _history("dave", 5, 10, 20_000, 300)
    burst = [req("dave", t=T0 + 6 * 300 + i, path="/orders/1", response_bytes=400_000) for i in range(20)]
    return history + burst


def exfil_quiet() -> list[SecurityEvent]:  # steady heavy user: large but like its own past
    return _history("erin", 8, 20, 300_000, 300)


def probe_fire() -> list[SecurityEvent]:
    return [req("mallory", path=f"/admin/x{i}", template="/admin/x", status=404, t=T0 + i) for i in range(35)]


def probe_quiet() -> list[SecurityEvent]:
    return [req("alice", status=404 if i % 10 == 0 else 200, t=T0 + i * 0.5) for i in range(100)]


def rate_fire() -> list[SecurityEvent]:
    history = _history("frank", 5, 20, 500, 60)
    burst = [req("frank", t=T0 + 6 * 60 + i * 0.1, response_bytes=500) for i in range(200)]
    return history + burst


def rate_quiet() -> list[SecurityEvent]:
    return _history("grace", 10, 30, 500, 60)


CASES = [
    (BolaEnumeration, bola_fire, bola_quiet),
    (SequentialIdWalk, seq_fire, seq_quiet),
    (CredentialStuffing, stuffing_fire, stuffing_quiet),
    (BruteForce, brute_fire, brute_quiet),
    (TokenSharing, sharing_fire, sharing_quiet),
    (Exfiltration, exfil_fire, exfil_quiet),
    (ErrorProbing, probe_fire, probe_quiet),
    (OffBaselineRate, rate_fire, rate_quiet),
]


@pytest.mark.parametrize(("detector", "fire", "quiet"), CASES, ids=[c[0].__name__ for c in CASES])
async def test_detector_fires_once(state: StateBackend, detector: type, fire: Case, quiet: Case) -> None:
    monitor = BehaviourMonitor(state, detectors=[detector()])
    fired = await feed(monitor, fire())
    assert fired == [detector.info.id]


@pytest.mark.parametrize(("detector", "fire", "quiet"), CASES, ids=[c[0].__name__ for c in CASES])
async def test_detector_stays_quiet(state: StateBackend, detector: type, fire: Case, quiet: Case) -> None:
    monitor = BehaviourMonitor(state, detectors=[detector()])
    assert await feed(monitor, quiet()) == []


async def test_no_normal_case_trips_any_detector() -> None:
    monitor = BehaviourMonitor(MemoryBackend())
    for _, _, quiet in CASES:
        assert await feed(monitor, quiet()) == [], quiet.__name__


async def test_alert_event_carries_evidence_and_remediation(state: StateBackend) -> None:
    sink = MemorySink()
    remediation = Remediation(state, RemediationSettings(block_ttl_s=60))
    monitor = BehaviourMonitor(
        state, detectors=[SequentialIdWalk(), TokenSharing()], sink=sink, remediation=remediation
    )
    await feed(monitor, seq_fire() + sharing_fire())
    await monitor.aclose()
    rules = [a.matched_rules[0] for a in sink.events]
    assert rules == ["ANL-BOLA-002", "ANL-TOKEN-001"]
    walk = sink.events[0]
    assert walk.kind == "detection"
    assert walk.decision is Decision.ALERT
    assert walk.detail["evidence"]["run"] == 10
    assert walk.detail["owasp"] == "API1:2023"
    assert walk.detail["remediation"] == ["blocked identity mallory for 60s"]
    assert await state.blocked("identity", "mallory")
    # token sharing is medium severity: below the default remediation threshold, so not blocked
    assert sink.events[1].detail["remediation"] == []
    assert await state.blocked("token", token_fingerprint("tok-carol")) is None
    text = monitor.metrics.render().decode()
    assert 'apiward_detections_total{detector="ANL-BOLA-002",severity="high"} 1.0' in text
    assert "apiward_remediations_total" in text


def test_registry_rejects_duplicates_and_undocumented() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        DetectorRegistry([BruteForce(), BruteForce()])

    class Nameless:
        info = BruteForce.info

        async def observe(self, event: SecurityEvent, state: StateBackend) -> None:
            return None

    with pytest.raises(TypeError, match="docstring"):
        DetectorRegistry([Nameless()])  # type: ignore[list-item]


async def test_failing_detector_is_counted_not_raised() -> None:
    class Broken:
        """Always fails."""

        info = BruteForce.info

        async def observe(self, event: SecurityEvent, state: StateBackend) -> None:
            raise ConnectionError("redis down")

    monitor = BehaviourMonitor(MemoryBackend(), detectors=[Broken()])  # type: ignore[list-item]
    assert await monitor.observe(req()) == []
    assert 'apiward_detector_errors_total{detector="ANL-AUTH-002"} 1.0' in monitor.metrics.render().decode()


async def test_remediation_webhook_receives_the_alert() -> None:
    import http.server
    import json
    import threading

    received: list[dict[str, object]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["content-length"]))))
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        state = MemoryBackend()
        settings = RemediationSettings(webhook_url=f"http://127.0.0.1:{server.server_address[1]}/alerts")
        remediation = Remediation(state, settings)
        monitor = BehaviourMonitor(state, detectors=[SequentialIdWalk(), TokenSharing()], remediation=remediation)
        await feed(monitor, seq_fire() + sharing_fire())
        await monitor.aclose()  # waits for background deliveries
    finally:
        server.shutdown()
        server.server_close()
    # only the high-severity walk acts; token sharing (medium) stays below the remediation threshold
    assert [r["alert"]["matched_rules"] for r in received] == [["ANL-BOLA-002"]]  # type: ignore[index]
    assert remediation.webhook_deliveries == 1


def test_sink_stats_collector_exposes_counters(tmp_path: object) -> None:
    from prometheus_client import CollectorRegistry, generate_latest

    from apiward.analytics import SinkStatsCollector
    from apiward.events import open_sink

    sink = open_sink(f"jsonl://{tmp_path}/e.jsonl")
    sink.emit(req())
    registry = CollectorRegistry()
    registry.register(SinkStatsCollector([sink]))
    text = generate_latest(registry).decode()
    sink.close()
    assert f'apiward_event_sink_accepted_total{{sink="jsonl:{tmp_path}/e.jsonl"}} 1.0' in text
    assert f'apiward_event_sink_queue_depth{{sink="jsonl:{tmp_path}/e.jsonl"}} 1.0' in text
    assert f'apiward_event_sink_spool_backlog_bytes{{sink="jsonl:{tmp_path}/e.jsonl"}} ' in text


async def test_an_ongoing_attack_alerts_once_per_cool_down() -> None:
    monitor = BehaviourMonitor(MemoryBackend(), detectors=[ErrorProbing()])
    # bursts every 10 minutes: each would alert alone; the 15 min cool-down keeps the first and the third
    probing = [
        req("mallory", path=f"/x{i}", template="/x", status=404, t=T0 + m * 600 + i)
        for m in range(4)
        for i in range(35)
    ]
    assert await feed(monitor, probing) == ["ANL-PROBE-001"] * 2


def test_metrics_join_an_existing_registry_without_request_duplicates() -> None:
    from prometheus_client import CollectorRegistry, generate_latest

    from apiward.analytics import AnalyticsMetrics

    shared = CollectorRegistry()
    metrics = AnalyticsMetrics(shared, count_requests=False)
    metrics.observe_request(req())
    metrics.detections.labels("ANL-BOLA-001", "high").inc()
    text = generate_latest(shared).decode()
    assert 'apiward_detections_total{detector="ANL-BOLA-001",severity="high"} 1.0' in text
    assert "apiward_requests_total{" not in text


async def test_never_block_exempts_principals_and_networks() -> None:
    state = MemoryBackend()
    settings = RemediationSettings(never_block=("identity:mallory", "203.0.113.0/24"))
    monitor = BehaviourMonitor(
        state, detectors=[SequentialIdWalk(), CredentialStuffing()], remediation=Remediation(state, settings)
    )
    sink = MemorySink()
    monitor.sink = sink
    await feed(monitor, seq_fire() + stuffing_fire())
    assert [a.detail["remediation"] for a in sink.events] == [
        ["not blocked: identity mallory is exempt"],
        ["not blocked: ip 203.0.113.9 is exempt"],
    ]
    assert await state.blocked("identity", "mallory") is None
    assert await state.blocked("ip", "203.0.113.9") is None
    assert 'apiward_remediations_total{action="exempt"} 2.0' in monitor.metrics.render().decode()


def test_never_block_rejects_nonsense() -> None:
    from apiward.core import ConfigError

    with pytest.raises(ConfigError, match="never_block"):
        RemediationSettings(never_block=("bob",))


async def test_exempt_traffic_is_not_judged() -> None:
    from apiward.analytics import Exemptions

    exempt = Exemptions.build(subjects=["mallory"], networks=["203.0.113.0/24"])
    monitor = BehaviourMonitor(MemoryBackend(), detectors=[SequentialIdWalk(), CredentialStuffing()], exempt=exempt)
    assert await feed(monitor, seq_fire() + stuffing_fire()) == []
    # others are still judged
    other = [req("eve", path=f"/orders/{100 + i}", t=T0 + i) for i in range(10)]
    assert await feed(monitor, other) == ["ANL-BOLA-002"]


def test_exemptions_reject_bad_networks() -> None:
    from apiward.analytics import Exemptions
    from apiward.core import ConfigError

    with pytest.raises(ConfigError, match="not an IP network"):
        Exemptions.build(networks=["10.0.0.0/33"])
