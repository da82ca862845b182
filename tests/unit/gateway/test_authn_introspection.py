"""authn_introspection against a real loopback RFC 7662 endpoint; cache in memory and in the real Redis."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import jwt
import pytest

from apiward.core import ConfigError, HttpRequest
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import authn_introspection
from apiward.state import MemoryBackend, StateBackend, open_backend
from support.issuer import Issuer

PHANTOM_SECRET = "p" * 40


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    with Issuer() as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def build(
    issuer: Issuer, http: httpx.AsyncClient, state: StateBackend | None = None, mode: Mode = Mode.ENFORCE, **extra: Any
) -> Any:
    options = {
        "endpoint": issuer.introspection_url,
        "client_id": issuer.client_id,
        "client_secret": issuer.client_secret,
        **extra,
    }
    ctx = PolicyContext(mode=mode, model=None, state=state if state is not None else MemoryBackend(), http=http)
    return authn_introspection.build(options, ctx)


def exchange(token: str | None) -> Exchange:
    headers = (("Authorization", f"Bearer {token}"),) if token is not None else ()
    return Exchange(request=HttpRequest(method="GET", path="/", headers=headers))


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
async def test_active_token_is_accepted_and_cached(issuer: Issuer, http: httpx.AsyncClient, mode: Mode) -> None:
    p = build(issuer, http, mode=mode)
    token = issuer.issue_opaque(sub="bob", scope="read write")
    for _ in range(3):
        ex = exchange(token)
        assert await p.on_request(ex) is None
        assert ex.identity is not None
        assert ex.identity.subject == "bob"
        assert ex.identity.kind == "introspection"
        assert ex.identity.scopes == {"read", "write"}
    assert p.introspector.calls == 1


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
async def test_unknown_token_is_rejected(issuer: Issuer, http: httpx.AsyncClient, mode: Mode) -> None:
    deny = await build(issuer, http, mode=mode).on_request(exchange(secrets.token_urlsafe(16)))
    assert deny is not None
    assert deny.status == 401
    assert deny.rule_id == "GW-AUTHN-010"
    assert 'error="invalid_token"' in deny.headers["WWW-Authenticate"]


async def test_negative_answers_are_cached_briefly(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = build(issuer, http)
    token = secrets.token_urlsafe(16)
    assert await p.on_request(exchange(token)) is not None
    assert await p.on_request(exchange(token)) is not None
    assert p.introspector.calls == 1
    p0 = build(issuer, http, negative_ttl_s=0)
    assert await p0.on_request(exchange(token)) is not None
    assert await p0.on_request(exchange(token)) is not None
    assert p0.introspector.calls == 2


async def test_cache_never_outlives_the_token(issuer: Issuer, http: httpx.AsyncClient) -> None:
    state = MemoryBackend()
    p = build(issuer, http, state)
    token = issuer.issue_opaque(ttl_s=-1)  # already expired: the issuer says inactive
    assert await p.on_request(exchange(token)) is not None
    key = p.introspector.cache_key(token)
    assert await state.get(key) == '{"active":false}'


async def test_cache_key_is_not_the_token(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = build(issuer, http)
    token = issuer.issue_opaque()
    assert token not in p.introspector.cache_key(token)


async def test_shared_cache_in_real_redis(issuer: Issuer, http: httpx.AsyncClient, redis_url: str) -> None:
    prefix = f"apiward-test-{secrets.token_hex(4)}:"
    first, second = open_backend(redis_url, prefix=prefix), open_backend(redis_url, prefix=prefix)
    try:
        a, b = build(issuer, http, first), build(issuer, http, second)
        token = issuer.issue_opaque(sub="carol")
        assert await a.on_request(exchange(token)) is None
        ex = exchange(token)
        assert await b.on_request(ex) is None
        assert ex.identity is not None
        assert ex.identity.subject == "carol"
        assert (a.introspector.calls, b.introspector.calls) == (1, 0)
        await first.delete(a.introspector.cache_key(token))
    finally:
        await first.aclose()
        await second.aclose()


async def test_bad_client_credentials_fail_closed(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = build(issuer, http, client_secret="wrong")
    deny = await p.on_request(exchange(issuer.issue_opaque()))
    assert deny is not None
    assert deny.status == 503
    assert deny.rule_id == "GW-AUTHN-011"


async def test_issuer_error_fails_closed(http: httpx.AsyncClient) -> None:
    with Issuer() as issuer:
        issuer.introspection_status = 500
        deny = await build(issuer, http).on_request(exchange(issuer.issue_opaque()))
        assert deny is not None
        assert deny.status == 503


async def test_jwt_shaped_tokens_are_left_to_authn_jwt(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = build(issuer, http)
    assert await p.on_request(exchange(issuer.mint())) is None
    assert p.introspector.calls == 0
    assert await p.on_request(exchange(None)) is None


async def test_discovery_finds_the_endpoint(issuer: Issuer, http: httpx.AsyncClient) -> None:
    options = {"issuer": issuer.url, "client_id": issuer.client_id, "client_secret": issuer.client_secret}
    ctx = PolicyContext(mode=Mode.ENFORCE, model=None, state=MemoryBackend(), http=http)
    p = authn_introspection.build(options, ctx)
    assert await p.on_request(exchange(issuer.issue_opaque())) is None
    assert await p.on_request(exchange("unknown-token")) is not None


async def test_audience_is_checked(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = build(issuer, http, audience="api://orders")
    assert await p.on_request(exchange(issuer.issue_opaque(aud=["api://orders"]))) is None
    assert await p.on_request(exchange(issuer.issue_opaque(aud="api://other"))) is not None


async def test_phantom_token_is_forwarded_upstream(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = build(issuer, http, phantom={"secret": PHANTOM_SECRET, "header": "X-Phantom", "audience": "upstream"})
    token = issuer.issue_opaque(sub="dave", scope="read", ttl_s=30)
    ex = exchange(token)
    assert await p.on_request(ex) is None
    phantom = ex.upstream_headers["X-Phantom"]
    claims = jwt.decode(phantom, PHANTOM_SECRET, algorithms=["HS256"], audience="upstream")
    assert claims["sub"] == "dave"
    assert claims["scope"] == "read"
    assert claims["exp"] <= issuer.opaque[token].claims["exp"]
    assert token not in phantom


async def test_phantom_in_authorization_header_is_a_bearer(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = build(issuer, http, phantom={"secret": PHANTOM_SECRET})
    ex = exchange(issuer.issue_opaque())
    assert await p.on_request(ex) is None
    assert ex.upstream_headers["authorization"].startswith("Bearer eyJ")


@pytest.mark.parametrize(
    ("options", "pointer"),
    [
        ({"client_id": "a"}, "policies.authn_introspection"),
        ({"client_id": "a", "client_secret": "b"}, "policies.authn_introspection"),
        (
            {"client_id": "a", "client_secret": "b", "endpoint": "https://x.example", "phantom": {"secret": "short"}},
            "policies.authn_introspection.phantom.secret",
        ),
        (
            {"client_id": "a", "client_secret": "b", "endpoint": "http://x", "max_ttl": 1},
            "policies.authn_introspection.max_ttl",
        ),
    ],
)
def test_bad_options(options: dict[str, Any], pointer: str) -> None:
    ctx = PolicyContext(mode=Mode.ENFORCE, model=None, state=MemoryBackend(), http=httpx.AsyncClient())
    with pytest.raises(ConfigError) as info:
        authn_introspection.build(options, ctx)
    assert info.value.pointer == pointer


async def test_client_secret_post(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = build(issuer, http, client_auth="client_secret_post")
    assert await p.on_request(exchange(issuer.issue_opaque())) is None


def test_plain_http_endpoints_only_on_loopback() -> None:
    ctx = PolicyContext(mode=Mode.ENFORCE, model=None, state=MemoryBackend(), http=httpx.AsyncClient())
    options = {"client_id": "a", "client_secret": "b", "endpoint": "http://idp.example.com/introspect"}
    with pytest.raises(ConfigError) as info:
        authn_introspection.build(options, ctx)
    assert info.value.pointer == "policies.authn_introspection.endpoint"
    authn_introspection.build({**options, "allow_insecure_http": True}, ctx)
    authn_introspection.build({**options, "endpoint": "https://idp.example.com/introspect"}, ctx)


async def test_concurrent_requests_share_one_call(issuer: Issuer, http: httpx.AsyncClient) -> None:
    import asyncio

    p = build(issuer, http)
    token = issuer.issue_opaque(sub="erin")
    exchanges = [exchange(token) for _ in range(10)]
    denies = await asyncio.gather(*(p.on_request(ex) for ex in exchanges))
    assert denies == [None] * 10
    assert all(ex.identity is not None and ex.identity.subject == "erin" for ex in exchanges)
    assert p.introspector.calls == 1


async def test_unreadable_cache_entry_is_a_miss(issuer: Issuer, http: httpx.AsyncClient) -> None:
    state = MemoryBackend()
    p = build(issuer, http, state)
    token = issuer.issue_opaque()
    await state.set(p.introspector.cache_key(token), "{not json", ttl_s=60)
    assert await p.on_request(exchange(token)) is None
    assert p.introspector.calls == 1


async def test_concurrent_failures_fail_closed_together(http: httpx.AsyncClient) -> None:
    import asyncio

    with Issuer() as issuer:
        issuer.introspection_status = 500
        p = build(issuer, http)
        token = issuer.issue_opaque()
        denies = await asyncio.gather(*(p.on_request(exchange(token)) for _ in range(5)))
        assert all(d is not None and d.status == 503 for d in denies)


async def test_introspection_over_tls() -> None:
    with Issuer(tls=True) as issuer:
        async with httpx.AsyncClient(verify=issuer.ssl_context()) as tls_http:
            p = build(issuer, tls_http)
            assert await p.on_request(exchange(issuer.issue_opaque(sub="gina"))) is None
        async with httpx.AsyncClient() as untrusting:  # the issuer's CA is not trusted: fail closed
            deny = await build(issuer, untrusting).on_request(exchange(issuer.issue_opaque()))
            assert deny is not None
            assert deny.status == 503
