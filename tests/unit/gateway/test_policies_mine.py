"""hygiene, ip, blocklist, ratelimit: allow and deny in enforce and log-only mode, through the real pipeline."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from apiward.core import ConfigError, Decision, HttpRequest, Identity, token_fingerprint
from apiward.gateway import Exchange, Mode, Pipeline, PolicyContext
from apiward.gateway.policies import blocklist, hygiene, ip, ratelimit
from apiward.spec._loader import load_document
from apiward.state import MemoryBackend

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/items": {"get": {"operationId": "listItems", "responses": {"200": {"description": "ok"}}}},
        "/items/{id}": {
            "get": {"operationId": "getItem", "responses": {"200": {"description": "ok"}}},
            "delete": {"operationId": "deleteItem", "responses": {"204": {"description": "ok"}}},
        },
    },
}
MODEL = load_document(DOC, source="inline")


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def state() -> MemoryBackend:
    return MemoryBackend()


def ctx(http: httpx.AsyncClient, state: MemoryBackend, mode: Mode = Mode.ENFORCE, **kw: Any) -> PolicyContext:
    return PolicyContext(mode=mode, model=MODEL, state=state, http=http, **kw)


def exchange(
    method: str = "GET",
    path: str = "/items",
    headers: tuple[tuple[str, str], ...] = (("Host", "api"),),
    *,
    ip_addr: str = "198.51.100.7",
    body: bytes = b"",
    identity: Identity | None = None,
) -> Exchange:
    ex = Exchange(request=HttpRequest(method=method, path=path, headers=headers, body=body, client_ip=ip_addr))
    match = MODEL.match(method, path)
    if match is not None:
        ex.operation = match.operation
    ex.identity = identity
    return ex


async def run(policy: Any, ex: Exchange) -> tuple[Any, Decision]:
    pipeline = Pipeline([policy])
    deny = await pipeline.on_request(ex)
    await pipeline.on_complete(ex, status=deny.status if deny else 200, deny=deny)
    return deny, ex.notes["decision"]


# -- hygiene --------------------------------------------------------------------------------------
SMUGGLING = [
    (("Host", "a"), ("Content-Length", "0"), ("Transfer-Encoding", "chunked")),
    (("Host", "a"), ("Content-Length", "0"), ("Content-Length", "0")),
    (("Host", "a"), ("Content-Length", "+0")),
    (("Host", "a"), ("Transfer-Encoding", "gzip, chunked")),
    (("Host", "a"), ("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")),
]


@pytest.mark.parametrize("headers", SMUGGLING)
async def test_hygiene_denies_smuggling_shapes(http, state, headers) -> None:  # type: ignore[no-untyped-def]
    deny, decision = await run(hygiene.build({}, ctx(http, state)), exchange("POST", "/items", headers))
    assert deny is not None
    assert deny.rule_id == "GW-HYG-001"
    assert decision is Decision.DENY


@pytest.mark.parametrize(
    ("method", "path", "headers", "rule", "status"),
    [
        ("TRACE", "/items", (("Host", "a"),), "GW-HYG-004", 405),
        ("GET", "/items", (("Host", "a"), ("X", "a\r\n b")), "GW-HYG-002", 400),
        ("GET", "/items", (("Host", "a"), ("X", "y" * 20000)), "GW-HYG-003", 431),
        ("GET", "/items", tuple(("Host", "a") for _ in range(2)), "GW-HYG-005", 400),
        ("GET", "/items", (), "GW-HYG-005", 400),
        ("GET", "/items/%2e%2e/admin", (("Host", "a"),), "GW-HYG-006", 400),
        ("GET", "/items/a%2fb", (("Host", "a"),), "GW-HYG-006", 400),
        ("GET", "/nope", (("Host", "a"),), "GW-HYG-007", 404),
        ("PUT", "/items/1", (("Host", "a"),), "GW-HYG-008", 405),
    ],
)
async def test_hygiene_rules_fire(http, state, method, path, headers, rule, status) -> None:  # type: ignore[no-untyped-def]
    deny, _ = await run(hygiene.build({}, ctx(http, state)), exchange(method, path, headers))
    assert deny is not None
    assert (deny.rule_id, deny.status) == (rule, status)
    if rule == "GW-HYG-008":
        assert deny.headers["Allow"] == "DELETE, GET, HEAD"


async def test_hygiene_allows_clean_requests(http, state) -> None:  # type: ignore[no-untyped-def]
    policy = hygiene.build({}, ctx(http, state))
    for method, path in (("GET", "/items"), ("GET", "/items/42"), ("HEAD", "/items/42"), ("DELETE", "/items/1")):
        deny, decision = await run(policy, exchange(method, path))
        assert deny is None, (method, path)
        assert decision is Decision.ALLOW
    body = exchange("GET", "/items", (("Host", "a"), ("Content-Length", "2")), body=b"{}")
    assert (await run(policy, body))[0] is None


async def test_hygiene_unknown_paths_can_be_allowed(http, state) -> None:  # type: ignore[no-untyped-def]
    policy = hygiene.build({"unknown_paths": "allow"}, ctx(http, state))
    assert (await run(policy, exchange("GET", "/elsewhere")))[0] is None


async def test_hygiene_log_only_records_and_passes(http, state) -> None:  # type: ignore[no-untyped-def]
    ex = exchange("GET", "/nope")
    deny, decision = await run(hygiene.build({}, ctx(http, state, Mode.LOG_ONLY)), ex)
    assert deny is None
    assert decision is Decision.LOG
    assert ex.matched_rules == ["GW-HYG-007"]
    clean = exchange()
    assert await run(hygiene.build({}, ctx(http, state, Mode.LOG_ONLY)), clean) == (None, Decision.ALLOW)


def test_hygiene_options_are_validated(http, state) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="did you mean 'max_url_bytes'") as err:
        hygiene.build({"max_url_byte": 10}, ctx(http, state))
    assert err.value.pointer == "policies.hygiene.max_url_byte"


# -- ip -------------------------------------------------------------------------------------------
async def test_ip_allow_and_deny_lists(http, state) -> None:  # type: ignore[no-untyped-def]
    policy = ip.build({"allow": ["10.0.0.0/8", "2001:db8::/32"], "deny": ["10.6.6.0/24"]}, ctx(http, state))
    assert (await run(policy, exchange(ip_addr="10.1.2.3")))[0] is None
    assert (await run(policy, exchange(ip_addr="2001:db8::1")))[0] is None
    assert (await run(policy, exchange(ip_addr="::ffff:10.1.2.3")))[0] is None
    deny, _ = await run(policy, exchange(ip_addr="10.6.6.6"))
    assert deny.rule_id == "GW-IP-001"
    deny, _ = await run(policy, exchange(ip_addr="192.0.2.1"))
    assert deny.rule_id == "GW-IP-002"
    log_only = ip.build({"deny": ["192.0.2.0/24"]}, ctx(http, state, Mode.LOG_ONLY))
    assert await run(log_only, exchange(ip_addr="192.0.2.1")) == (None, Decision.LOG)
    assert await run(log_only, exchange(ip_addr="198.51.100.1")) == (None, Decision.ALLOW)


async def test_ip_per_route_lists(http, state) -> None:  # type: ignore[no-untyped-def]
    policy = ip.build({}, ctx(http, state, route_options={"deleteItem": {"allow": ["10.0.0.0/8"]}}))
    assert (await run(policy, exchange("DELETE", "/items/1", ip_addr="10.0.0.1")))[0] is None
    assert (await run(policy, exchange("DELETE", "/items/1", ip_addr="192.0.2.1")))[0].rule_id == "GW-IP-002"
    assert (await run(policy, exchange("GET", "/items/1", ip_addr="192.0.2.1")))[0] is None


def test_ip_bad_cidr_names_the_key(http, state) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError) as err:
        ip.build({"deny": ["10.0.0.0/8", "nope"]}, ctx(http, state))
    assert err.value.pointer == "policies.ip.deny[1]"


# -- blocklist ------------------------------------------------------------------------------------
async def test_blocklist_ip_token_identity(http, state) -> None:  # type: ignore[no-untyped-def]
    first = blocklist.build({}, ctx(http, state))
    second = blocklist.build_identity_stage({}, ctx(http, state))
    alice = Identity(subject="alice", kind="jwt")
    assert (await run(first, exchange()))[0] is None
    assert (await run(second, exchange(identity=alice)))[0] is None
    await state.block("ip", "198.51.100.7", ttl_s=60, reason="scanner")
    await state.block("token", token_fingerprint("stolen"), ttl_s=60, reason="leaked")
    await state.block("identity", "alice", ttl_s=60, reason="abuse")
    deny, _ = await run(first, exchange())
    assert (deny.rule_id, deny.status, deny.evidence["reason"]) == ("GW-BLK-001", 403, "scanner")
    deny, _ = await run(first, exchange(headers=(("Authorization", "Bearer stolen"),), ip_addr="192.0.2.9"))
    assert deny.rule_id == "GW-BLK-002"
    deny, _ = await run(second, exchange(identity=alice, ip_addr="192.0.2.9"))
    assert deny.rule_id == "GW-BLK-003"
    log_only = blocklist.build({}, ctx(http, state, Mode.LOG_ONLY))
    assert await run(log_only, exchange()) == (None, Decision.LOG)


# -- ratelimit ------------------------------------------------------------------------------------
async def test_ratelimit_token_bucket_headers_and_429(http, state) -> None:  # type: ignore[no-untyped-def]
    policy = ratelimit.build(
        {"limits": [{"name": "per-ip", "key": "ip", "requests": 3, "period_s": 3600}]}, ctx(http, state)
    )
    seen = []
    for _ in range(3):
        ex = exchange()
        deny, _ = await run(policy, ex)
        assert deny is None
        seen.append(ex.response_headers["RateLimit-Remaining"])
    assert seen == ["2", "1", "0"]
    assert ex.response_headers["RateLimit-Policy"] == '"per-ip";q=3;w=3600'
    deny, decision = await run(policy, exchange())
    assert (deny.status, deny.rule_id, decision) == (429, "GW-RATE-001", Decision.DENY)
    assert int(deny.headers["Retry-After"]) >= 1
    assert deny.headers["RateLimit-Remaining"] == "0"
    # another client has its own bucket
    assert (await run(policy, exchange(ip_addr="192.0.2.50")))[0] is None


async def test_ratelimit_by_identity_and_route_sliding_window(http, state) -> None:  # type: ignore[no-untyped-def]
    limits = [{"key": "identity+route", "requests": 1, "period_s": 60, "algorithm": "sliding_window"}]
    policy = ratelimit.build({"limits": limits}, ctx(http, state))
    bob = Identity(subject="bob", kind="jwt")
    assert (await run(policy, exchange(identity=bob)))[0] is None
    assert (await run(policy, exchange("GET", "/items/1", identity=bob)))[0] is None  # other route
    assert (await run(policy, exchange(identity=bob)))[0].status == 429
    assert (await run(policy, exchange(identity=Identity(subject="carol", kind="jwt"))))[0] is None


async def test_ratelimit_per_route_override_and_log_only(http, state) -> None:  # type: ignore[no-untyped-def]
    route = {"deleteItem": {"limits": [{"requests": 1, "period_s": 60}]}}
    policy = ratelimit.build({}, ctx(http, state, Mode.LOG_ONLY, route_options=route))
    assert await run(policy, exchange("DELETE", "/items/1")) == (None, Decision.ALLOW)
    ex = exchange("DELETE", "/items/1")
    assert await run(policy, ex) == (None, Decision.LOG)
    assert ex.matched_rules == ["GW-RATE-001"]
    assert await run(policy, exchange("GET", "/items")) == (None, Decision.ALLOW)  # no global limits


async def test_ratelimit_api_key_limit_skips_other_identities(http, state) -> None:  # type: ignore[no-untyped-def]
    policy = ratelimit.build({"limits": [{"key": "api_key", "requests": 1, "period_s": 60}]}, ctx(http, state))
    for _ in range(3):
        assert (await run(policy, exchange(identity=Identity(subject="u", kind="jwt"))))[0] is None
    key = Identity(subject="key-1", kind="api_key")
    assert (await run(policy, exchange(identity=key)))[0] is None
    assert (await run(policy, exchange(identity=key)))[0].status == 429


class Broken(MemoryBackend):
    async def token_bucket(self, *a: Any, **k: Any) -> Any:
        from apiward.core import BackendError

        raise BackendError("redis down")


async def test_ratelimit_backend_error_fails_closed_or_open_by_config(http) -> None:  # type: ignore[no-untyped-def]
    limits = {"limits": [{"requests": 5, "period_s": 1}]}
    closed = ratelimit.build(limits, ctx(http, Broken()))  # type: ignore[arg-type]
    ex = exchange()
    deny, decision = await run(closed, ex)
    assert (deny.status, deny.rule_id, decision) == (503, "GW-PIPE-001", Decision.DENY)
    assert ex.notes["policy_errors"] == [{"policy": "ratelimit", "error": "BackendError"}]
    fail_open = ratelimit.build({**limits, "on_backend_error": "allow"}, ctx(http, Broken()))  # type: ignore[arg-type]
    assert (await run(fail_open, exchange()))[0] is None


async def test_hygiene_answers_405_to_any_options_the_spec_lacks(http, state) -> None:  # type: ignore[no-untyped-def]
    # Preflights are answered before hygiene by response_cors; hygiene itself makes no exception for them.
    policy = hygiene.build({}, ctx(http, state))
    preflight = (("Host", "a"), ("Origin", "https://app.example"), ("Access-Control-Request-Method", "DELETE"))
    assert (await run(policy, exchange("OPTIONS", "/items/1", preflight)))[0].rule_id == "GW-HYG-008"
    assert (await run(policy, exchange("OPTIONS", "/items/1")))[0].rule_id == "GW-HYG-008"  # plain OPTIONS
    assert (await run(policy, exchange("OPTIONS", "/nope", preflight)))[0].rule_id == "GW-HYG-007"
    assert (await run(policy, exchange("GET", "/items/1", (("Host", "a"),))))[0] is None
