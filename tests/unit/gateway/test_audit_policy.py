"""The audit policy: one redacted event per request, allowed, logged or denied; bounded default sink; sampling."""

from __future__ import annotations

import httpx

from apiward.core import Decision, HttpRequest, Identity
from apiward.gateway import Deny, Exchange, Mode, Pipeline, PolicyContext
from apiward.gateway.policies import audit
from apiward.state import MemoryBackend


async def _ctx() -> PolicyContext:
    return PolicyContext(mode=Mode.ENFORCE, model=None, state=MemoryBackend(), http=httpx.AsyncClient())


def _exchange(query: str = "") -> Exchange:
    request = HttpRequest(
        method="POST",
        path="/login",
        query=query,
        headers=(("User-Agent", "ua"), ("Authorization", "Bearer eyJhbGciOi.eyJzdWIiOi.sig")),
        body=b'{"password":"hunter2"}',
        client_ip="192.0.2.1",
    )
    ex = Exchange(request=request)
    ex.identity = Identity(subject="alice", kind="jwt", token_fingerprint="sha256:abcd")
    return ex


async def test_events_for_allow_log_and_deny() -> None:
    ctx = await _ctx()
    policy = audit.build({"instance": "gw-a", "memory_events": 2}, ctx)
    pipeline = Pipeline([policy])
    allowed = _exchange("token=s3cr3t&page=2")
    await pipeline.on_complete(allowed, status=200, deny=None)
    logged = _exchange()
    logged.notes["log_only"] = [{"policy": "threat", "rule": "GW-THR-001", "status": 403}]
    logged.matched_rules.append("GW-THR-001")
    await pipeline.on_complete(logged, status=200, deny=None)
    denied = _exchange()
    deny = Deny(status=429, title="Too Many Requests", rule_id="GW-RATE-001", evidence={"limit": "per-ip"})
    denied.matched_rules.append("GW-RATE-001")
    await pipeline.on_complete(denied, status=429, deny=deny)
    sink = policy.sink
    assert isinstance(sink, audit.RecentEvents)
    assert len(sink.events) == 2  # bounded
    log_event, deny_event = sink.events
    assert log_event.decision is Decision.LOG
    assert log_event.matched_rules == ("GW-THR-001",)
    assert deny_event.decision is Decision.DENY
    assert deny_event.status == 429
    assert deny_event.reason == "Too Many Requests"
    assert deny_event.detail["evidence"] == {"limit": "per-ip"}
    assert deny_event.identity is not None
    assert deny_event.identity.subject == "alice"
    assert deny_event.instance == "gw-a"
    assert deny_event.request_bytes == len(b'{"password":"hunter2"}')
    assert log_event.id != deny_event.id
    text = str([e.to_dict() for e in sink.events])
    assert "hunter2" not in text
    assert "eyJhbGciOi" not in text
    await ctx.http.aclose()


async def test_query_secrets_are_redacted() -> None:
    ctx = await _ctx()
    policy = audit.build({}, ctx)
    ex = _exchange("token=s3cr3t&page=2")
    await Pipeline([policy]).on_complete(ex, status=200, deny=None)
    event = policy.sink.events[0]  # type: ignore[attr-defined]
    assert "s3cr3t" not in event.detail["query"]
    assert "page=2" in event.detail["query"]
    await ctx.http.aclose()


async def test_sampling_keeps_every_denial() -> None:
    ctx = await _ctx()
    policy = audit.build({"sample_allowed": 0.25}, ctx)
    pipeline = Pipeline([policy])
    for _ in range(8):
        await pipeline.on_complete(_exchange(), status=200, deny=None)
    await pipeline.on_complete(_exchange(), status=403, deny=Deny(status=403, title="Forbidden", rule_id="X"))
    decisions = [e.decision for e in policy.sink.events]  # type: ignore[attr-defined]
    assert decisions.count(Decision.ALLOW) == 2
    assert decisions.count(Decision.DENY) == 1
    await ctx.http.aclose()
