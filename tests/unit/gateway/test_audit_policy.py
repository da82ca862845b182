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


async def test_policy_notes_reach_the_event_redacted_and_bounded() -> None:
    policy = audit.build({}, await _ctx())
    pipeline = Pipeline([policy])
    ex = _exchange()
    ex.matched_rules.extend(["DET-SQLI-001", "DET-SQLI-004"])
    ex.notes["threat"] = {"scores": {"sqli": 3}, "families": []}
    ex.notes["masked"] = ["card", "email"]
    ex.notes["undocumented_fields"] = [f"field{i}" for i in range(50)]
    ex.notes["response_violation"] = "x" * 5000
    ex.notes["log_only"] = [
        {
            "policy": "validate_request",
            "rule": "GW-VAL-003",
            "status": 400,
            "detail": "body.name is required",
            "evidence": {"api_key": "k-live-secret", "where": "body.name"},
        }
    ]
    ex.notes["internal_scratch"] = "not for the trail"
    await pipeline.on_complete(ex, status=200, deny=None)
    event = policy.sink.events[-1]
    assert event.matched_rules == ("DET-SQLI-001", "DET-SQLI-004")
    assert event.detail["threat"] == {"scores": {"sqli": 3}, "families": []}
    assert event.detail["masked"] == ["card", "email"]
    assert len(event.detail["undocumented_fields"]) == 21  # 20 and a "more" marker
    assert event.detail["undocumented_fields"][-1] == "… 30 more"
    assert len(event.detail["response_violation"]) <= 257
    hit = event.detail["log_only"][0]
    assert hit["detail"] == "body.name is required"
    assert hit["evidence"]["where"] == "body.name"
    assert "k-live-secret" not in str(event.detail)
    assert "internal_scratch" not in event.detail


async def test_denial_detail_and_evidence_reach_the_event() -> None:
    policy = audit.build({}, await _ctx())
    ex = _exchange()
    deny = Deny(
        status=400,
        title="Invalid request body",
        rule_id="GW-VAL-003",
        detail="body.price is too small",
        evidence={"where": "body.price", "deep": {"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}}},
    )
    await Pipeline([policy]).on_complete(ex, status=400, deny=deny)
    event = policy.sink.events[-1]
    assert event.detail["deny_detail"] == "body.price is too small"
    assert event.detail["evidence"]["where"] == "body.price"
    assert event.detail["evidence"]["deep"]["a"]["b"]["c"]["d"] == {"e": "…"}  # nesting bounded


async def test_quiet_request_has_only_its_request_id() -> None:
    policy = audit.build({}, await _ctx())
    ex = _exchange()
    ex.notes["request_id"] = "r1"
    await Pipeline([policy]).on_complete(ex, status=200, deny=None)
    assert dict(policy.sink.events[-1].detail) == {"request_id": "r1"}
