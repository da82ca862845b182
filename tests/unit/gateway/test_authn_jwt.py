"""authn_jwt against a real loopback JWKS/OIDC issuer: allow, deny and the classic JWT attacks."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import jwt
import pytest

from apiward.core import ConfigError, HttpRequest
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import authn_jwt
from support.issuer import Issuer


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    with Issuer() as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def ctx(http: httpx.AsyncClient, mode: Mode = Mode.ENFORCE) -> PolicyContext:
    return PolicyContext(mode=mode, model=None, state=None, http=http)  # type: ignore[arg-type]


def exchange(token: str | None) -> Exchange:
    headers = (("Authorization", f"Bearer {token}"),) if token is not None else ()
    return Exchange(request=HttpRequest(method="GET", path="/items", headers=headers))


def policy(issuer: Issuer, http: httpx.AsyncClient, mode: Mode = Mode.ENFORCE, **extra: Any) -> Any:
    options = {"jwks_url": issuer.jwks_url, "issuer": issuer.url, "audience": issuer.audience, **extra}
    return authn_jwt.build(options, ctx(http, mode))


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize("kid", ["rsa-1", "ec-1", "ed-1"])
async def test_valid_token_sets_identity(issuer: Issuer, http: httpx.AsyncClient, mode: Mode, kid: str) -> None:
    p = policy(issuer, http, mode, roles_claim="realm_access.roles", tenant_claim="org")
    token = issuer.mint(kid=kid, scope="read write", realm_access={"roles": ["admin"]}, org="acme")
    ex = exchange(token)
    assert await p.on_request(ex) is None
    assert p.mode is mode
    assert ex.identity is not None
    assert ex.identity.subject == "alice"
    assert ex.identity.kind == "jwt"
    assert ex.identity.scopes == {"read", "write"}
    assert ex.identity.roles == {"admin"}
    assert ex.identity.tenant == "acme"
    assert ex.identity.token_fingerprint
    assert token not in ex.identity.token_fingerprint


async def test_scp_list_claim_gives_scopes(issuer: Issuer, http: httpx.AsyncClient) -> None:
    ex = exchange(issuer.mint(scope=None, scp=["a", "b"]))
    assert await policy(issuer, http).on_request(ex) is None
    assert ex.identity is not None
    assert ex.identity.scopes == {"a", "b"}


async def test_no_token_passes_for_authz_to_decide(issuer: Issuer, http: httpx.AsyncClient) -> None:
    ex = exchange(None)
    assert await policy(issuer, http).on_request(ex) is None
    assert ex.identity is None


def _attacks(issuer: Issuer) -> dict[str, str]:
    good = issuer.mint()
    header, payload, _sig = good.split(".")
    rsa_pem = issuer.key("rsa-1").public_pem.encode()
    now = int(time.time())
    return {
        "alg-none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "alg-none-kid": f"{b64({'alg': 'none', 'kid': 'rsa-1'})}.{payload}.",
        "stripped-signature": f"{header}.{payload}.",
        "tampered-payload": f"{header}.{b64({**issuer.claims(), 'sub': 'admin'})}.{_sig}",
        # RS→HS confusion: HMAC-sign with the RSA public key as the secret, naming the RSA kid.
        "rs-to-hs-confusion": _hs_with_pem(issuer.claims(), rsa_pem, "rsa-1"),
        "expired": issuer.mint(exp=now - 3600, iat=now - 7200, nbf=now - 7200),
        "nbf-future": issuer.mint(nbf=now + 3600),
        "iat-future": issuer.mint(iat=now + 3600),
        "wrong-aud": issuer.mint(aud="https://other.example"),
        "wrong-iss": issuer.mint(iss="https://evil.example"),
        "unknown-kid": _with_header(issuer, {"kid": "nope"}),
        "missing-exp": issuer.mint(exp=None),
        "missing-sub": issuer.mint(sub=None),
        "hs256-not-allowed": issuer.mint(kid="hmac"),
        "garbage": "not-a-token",
        "two-parts": "abc.def",
        "jku-header-ignored": _jku(issuer),
        "crit-header": issuer.mint(headers={"crit": ["exp"]}),
    }


def _hs_with_pem(claims: dict[str, Any], pem: bytes, kid: str) -> str:
    import hashlib
    import hmac

    signing_input = f"{b64({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{b64(claims)}"
    sig = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


def _with_header(issuer: Issuer, extra: dict[str, Any]) -> str:
    key = issuer.key("rsa-1")
    return jwt.encode(issuer.claims(), key.private, algorithm="RS256", headers=extra)


def _jku(issuer: Issuer) -> str:
    # A token signed by a key the attacker controls, pointing jku/x5u at the attacker's JWKS.
    from cryptography.hazmat.primitives.asymmetric import rsa

    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(
        issuer.claims(),
        attacker,
        algorithm="RS256",
        headers={"kid": "rsa-1", "jku": "http://127.0.0.1:9/jwks", "x5u": "http://127.0.0.1:9/x5u"},
    )


ATTACKS = [
    "alg-none",
    "alg-none-kid",
    "stripped-signature",
    "tampered-payload",
    "rs-to-hs-confusion",
    "expired",
    "nbf-future",
    "iat-future",
    "wrong-aud",
    "wrong-iss",
    "unknown-kid",
    "missing-exp",
    "missing-sub",
    "hs256-not-allowed",
    "jku-header-ignored",
    "crit-header",
]


@pytest.fixture(scope="module")
def attacks(issuer: Issuer) -> dict[str, str]:
    return _attacks(issuer)


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize("attack", ATTACKS)
async def test_attack_tokens_are_rejected(
    issuer: Issuer, http: httpx.AsyncClient, attacks: dict[str, str], attack: str, mode: Mode
) -> None:
    p = policy(issuer, http, mode, jwks_min_refetch_s=3600, required_claims=["exp", "iat", "sub"])
    ex = exchange(attacks[attack])
    deny = await p.on_request(ex)
    assert deny is not None, attack
    assert deny.status == 401
    assert deny.rule_id == "GW-AUTHN-001"
    challenge = deny.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="apiward", error="invalid_token", error_description="')
    assert ex.identity is None


@pytest.mark.parametrize("token", ["not-a-token", "abc.def", "opaque_0123"])
async def test_non_jwt_tokens_are_left_unclaimed(issuer: Issuer, http: httpx.AsyncClient, token: str) -> None:
    ex = exchange(token)
    assert await policy(issuer, http).on_request(ex) is None
    assert ex.identity is None
    assert ex.notes["bearer_unclaimed"] is True


async def test_rs_to_hs_confusion_fails_even_when_hs256_is_allowed(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = policy(issuer, http, algorithms=["RS256", "HS256"])
    token = _hs_with_pem(issuer.claims(), issuer.key("rsa-1").public_pem.encode(), "rsa-1")
    deny = await p.on_request(exchange(token))
    assert deny is not None
    assert deny.status == 401


async def test_leeway_accepts_slightly_expired(issuer: Issuer, http: httpx.AsyncClient) -> None:
    now = int(time.time())
    token = issuer.mint(exp=now - 5, iat=now - 60, nbf=now - 60)
    assert await policy(issuer, http, leeway_s=30).on_request(exchange(token)) is None
    assert await policy(issuer, http, leeway_s=0).on_request(exchange(token)) is not None


async def test_jwks_is_cached_and_refetched_on_rotation(http: httpx.AsyncClient) -> None:
    with Issuer() as issuer:
        p = policy(issuer, http, jwks_min_refetch_s=0)
        assert await p.on_request(exchange(issuer.mint())) is None
        assert await p.on_request(exchange(issuer.mint())) is None
        assert issuer.hits["/jwks"] == 1
        new = issuer.rotate(drop_old=True)
        assert await p.on_request(exchange(issuer.mint(kid=new.kid))) is None
        assert issuer.hits["/jwks"] == 2


async def test_unknown_kid_refetch_is_rate_limited(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = policy(issuer, http, jwks_min_refetch_s=3600)
    assert await p.on_request(exchange(issuer.mint())) is None
    before = p.jwks.fetches
    for i in range(20):
        deny = await p.on_request(exchange(_with_header(issuer, {"kid": f"random-{i}"})))
        assert deny is not None
    assert p.jwks.fetches == before


async def test_oidc_discovery_finds_the_jwks(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = authn_jwt.build({"oidc_discovery": True, "issuer": issuer.url, "audience": issuer.audience}, ctx(http))
    ex = exchange(issuer.mint(kid="ec-1"))
    assert await p.on_request(ex) is None
    assert ex.identity is not None


async def test_oidc_discovery_over_tls(http: httpx.AsyncClient) -> None:
    with Issuer(tls=True) as issuer:
        async with httpx.AsyncClient(verify=issuer.ssl_context()) as tls_http:
            p = authn_jwt.build({"oidc_discovery": True, "issuer": issuer.url}, ctx(tls_http))
            assert await p.on_request(exchange(issuer.mint())) is None


async def test_static_hmac_secret(http: httpx.AsyncClient, issuer: Issuer) -> None:
    secret = "s" * 40
    p = authn_jwt.build({"keys": [{"secret": secret}], "algorithms": ["HS256"]}, ctx(http))
    good = jwt.encode(issuer.claims(), secret, algorithm="HS256")
    assert await p.on_request(exchange(good)) is None
    bad = jwt.encode(issuer.claims(), "x" * 40, algorithm="HS256")
    assert await p.on_request(exchange(bad)) is not None


async def test_static_pem_key(http: httpx.AsyncClient, issuer: Issuer) -> None:
    p = authn_jwt.build({"keys": [{"pem": issuer.key("rsa-1").public_pem}]}, ctx(http))
    assert await p.on_request(exchange(issuer.mint())) is None
    assert await p.on_request(exchange(issuer.mint(kid="ec-1"))) is not None


async def test_unreachable_jwks_fails_closed_with_503(http: httpx.AsyncClient) -> None:
    with Issuer() as issuer:
        url = issuer.jwks_url
        token = issuer.mint()
    p = authn_jwt.build({"jwks_url": url}, ctx(http))
    deny = await p.on_request(exchange(token))
    assert deny is not None
    assert deny.status == 503
    assert deny.rule_id == "GW-AUTHN-002"


async def test_malformed_jwks_fails_closed(http: httpx.AsyncClient) -> None:
    with Issuer() as issuer:
        issuer.jwks_override = {"keys": "nope"}
        deny = await policy(issuer, http).on_request(exchange(issuer.mint()))
        assert deny is not None
        assert deny.status == 503


@pytest.mark.parametrize(
    ("options", "pointer"),
    [
        ({"algorithms": ["none"], "jwks_url": "http://127.0.0.1:1/j"}, "policies.authn_jwt.algorithms[0]"),
        ({}, "policies.authn_jwt"),
        ({"keys": [{"secret": "short"}], "algorithms": ["HS256"]}, "policies.authn_jwt.keys[0].secret"),
        ({"keys": [{"secret": "s" * 40}]}, "policies.authn_jwt.keys[0]"),
        ({"jwks_url": "https://x.example", "leeway": 3}, "policies.authn_jwt.leeway"),
        ({"jwks_url": "http://idp.example.com/jwks"}, "policies.authn_jwt.jwks_url"),
        ({"oidc_discovery": True, "issuer": "http://idp.example.com"}, "policies.authn_jwt.issuer"),
        ({"oidc_discovery": True}, "policies.authn_jwt.issuer"),
    ],
)
def test_bad_options_name_the_key(options: dict[str, Any], pointer: str) -> None:
    with pytest.raises(ConfigError) as info:
        authn_jwt.build(options, ctx(httpx.AsyncClient()))
    assert info.value.pointer == pointer


async def test_verified_tokens_are_cached_until_exp(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = policy(issuer, http, leeway_s=0)
    verifier = p._verifier
    now = [time.time()]
    verifier._clock = lambda: now[0]
    calls = []
    real = verifier._verify

    async def counting(token: str) -> Any:
        calls.append(token)
        return await real(token)

    verifier._verify = counting
    exp = int(now[0]) + 10
    token = issuer.mint(exp=exp)
    for _ in range(3):
        assert await p.on_request(exchange(token)) is None
    assert len(calls) == 1
    ((key, (until, _claims, _memo)),) = verifier._cache.items()
    assert until <= exp  # never kept past the token's own expiry
    assert token.encode() not in key  # keyed by a digest: no credential in clear in the cache
    assert len(key) == 32
    now[0] = exp + 1  # past exp: the cached entry no longer counts and the token is verified again
    await p.on_request(exchange(token))
    assert len(calls) == 2


async def test_cache_hits_still_check_exp_nbf_and_age(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = policy(issuer, http, leeway_s=0, cache_ttl_s=3600, max_age_s=100)
    verifier = p._verifier
    start = time.time()
    now = [start]
    verifier._clock = lambda: now[0]
    token = issuer.mint(exp=int(start) + 500, nbf=int(start) - 1, iat=int(start))
    assert await p.on_request(exchange(token)) is None
    assert len(verifier._cache) == 1
    now[0] = start - 60  # a clock stepped back before nbf: the cached entry does not vouch for the token
    deny = await p.on_request(exchange(token))
    assert deny is not None
    assert deny.detail == "the token is not valid yet"
    now[0] = start + 200  # still before exp and within the cache TTL, but older than max_age_s
    deny = await p.on_request(exchange(token))
    assert deny is not None
    assert deny.detail == "the token is too old"
    now[0] = start + 5  # and a fresh hit is served from the cache
    assert await p.on_request(exchange(token)) is None


async def test_cache_is_bounded(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = policy(issuer, http, cache_size=3)
    for i in range(10):
        assert await p.on_request(exchange(issuer.mint(sub=f"user-{i}"))) is None
    assert len(p._verifier._cache) == 3


async def test_cache_can_be_disabled(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = policy(issuer, http, cache_ttl_s=0)
    assert await p.on_request(exchange(issuer.mint())) is None
    assert not p._verifier._cache


async def test_explicit_typing(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = policy(issuer, http, types=["at+jwt"])
    assert await p.on_request(exchange(issuer.mint(headers={"typ": "at+jwt"}))) is None
    deny = await p.on_request(exchange(issuer.mint()))  # typ JWT: an ID token must not pass as an access token
    assert deny is not None
    assert deny.detail == "the token type is not accepted"


async def test_max_age(issuer: Issuer, http: httpx.AsyncClient) -> None:
    now = int(time.time())
    p = policy(issuer, http, max_age_s=600, leeway_s=0)
    assert await p.on_request(exchange(issuer.mint(iat=now - 60))) is None
    deny = await p.on_request(exchange(issuer.mint(iat=now - 3600, nbf=now - 3600)))
    assert deny is not None
    assert deny.detail == "the token is too old"


async def test_start_prefetches_keys_and_tolerates_an_absent_issuer(http: httpx.AsyncClient) -> None:
    with Issuer() as issuer:
        p = policy(issuer, http)
        await p.start()
        assert p.jwks.fetches == 1
        assert await p.on_request(exchange(issuer.mint())) is None
        assert p.jwks.fetches == 1
        url = issuer.jwks_url
    absent = authn_jwt.build({"jwks_url": url}, ctx(http))
    await absent.start()  # no exception: the request path retries and fails closed


async def test_identity_is_derived_once_per_cached_token(issuer: Issuer, http: httpx.AsyncClient) -> None:
    p = policy(issuer, http)
    token = issuer.mint(sub="alice")
    first, second = exchange(token), exchange(token)
    assert await p.on_request(first) is None
    assert await p.on_request(second) is None
    assert first.identity is second.identity
    assert first.identity is not None
    assert first.identity.subject == "alice"
    other = exchange(issuer.mint(sub="bob"))
    assert await p.on_request(other) is None
    assert other.identity is not None
    assert other.identity.subject == "bob"
