"""authn_apikey: hashed keys from header, query or cookie as the spec's apiKey scheme says."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from apiward.core import ConfigError, HttpRequest
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import authn_apikey
from apiward.gateway.policies.authn_apikey import hash_api_key
from apiward.spec import ApiModel, SecurityScheme
from apiward.state import MemoryBackend

KEY = "ak_live_0123456789abcdef0123456789abcdef"
PEPPERED = "ak_live_peppered_0123456789abcdef012345"
SLOW = "ak_slow_short"
PEPPER = "pepper-from-the-environment"


def ctx(mode: Mode = Mode.ENFORCE, model: ApiModel | None = None) -> PolicyContext:
    return PolicyContext(mode=mode, model=model, state=MemoryBackend(), http=httpx.AsyncClient())


def options(**extra: Any) -> dict[str, Any]:
    return {
        "keys": [
            {"id": "svc-a", "hash": hash_api_key(KEY), "scopes": ["read"], "tenant": "acme"},
            {"id": "svc-b", "hash": hash_api_key(PEPPERED, "hmac-sha256", pepper=PEPPER), "roles": ["ops"]},
            {"id": "svc-c", "hash": hash_api_key(SLOW, "scrypt", log_n=10), "prefix": "ak_slow_"},
        ],
        "pepper": PEPPER,
        **extra,
    }


def request(**kw: Any) -> Exchange:
    return Exchange(request=HttpRequest(method="GET", path="/", **kw))


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize(("key", "subject"), [(KEY, "svc-a"), (PEPPERED, "svc-b"), (SLOW, "svc-c")])
async def test_valid_keys(mode: Mode, key: str, subject: str) -> None:
    p = authn_apikey.build(options(), ctx(mode))
    for _ in range(2):  # second time: scrypt answer from the verified cache
        ex = request(headers=(("X-API-Key", key),))
        assert await p.on_request(ex) is None
        assert ex.identity is not None
        assert ex.identity.subject == subject
        assert ex.identity.kind == "api_key"
        assert ex.identity.token_fingerprint is not None
        assert key not in repr(ex.identity)


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize("key", ["wrong", KEY + "x", KEY[:-1], "", "ak_slow_wrong", "x" * 5000])
async def test_invalid_keys(mode: Mode, key: str) -> None:
    p = authn_apikey.build(options(), ctx(mode))
    ex = request(headers=(("X-API-Key", key),))
    deny = await p.on_request(ex)
    assert deny is not None
    assert deny.status == 401
    assert deny.rule_id == "GW-AUTHN-020"
    assert ex.identity is None
    assert key not in str(deny.evidence) or not key


async def test_no_key_passes_on() -> None:
    ex = request()
    assert await authn_apikey.build(options(), ctx()).on_request(ex) is None
    assert ex.identity is None


def model(location: str, name: str) -> ApiModel:
    scheme = SecurityScheme(name="key", type="apiKey", location=location, param_name=name)
    return ApiModel(title="t", version="1", source="mem", spec_version="3.1.0", security_schemes={"key": scheme})


@pytest.mark.parametrize(
    ("location", "name", "kw"),
    [
        ("query", "api_key", {"query": f"a=1&api_key={KEY}"}),
        ("cookie", "session_key", {"headers": (("Cookie", f"session_key={KEY}; other=1"),)}),
        ("header", "X-Token", {"headers": (("x-token", KEY),)}),
    ],
)
async def test_location_comes_from_the_spec(location: str, name: str, kw: dict[str, Any]) -> None:
    p = authn_apikey.build(options(), ctx(model=model(location, name)))
    ex = request(**kw)
    assert await p.on_request(ex) is None
    assert ex.identity is not None
    assert ex.notes["authn_schemes"] == {"key"}
    # the default header is not read when the spec names another place
    other = request(headers=(("X-API-Key", "wrong"),))
    assert await p.on_request(other) is None
    assert other.identity is None


@pytest.mark.parametrize(
    ("opts", "pointer"),
    [
        ({"keys": [{"id": "a", "hash": KEY}]}, "policies.authn_apikey.keys[0].hash"),
        ({"keys": [{"id": "a", "hash": "sha256:abcd"}]}, "policies.authn_apikey.keys[0].hash"),
        (
            {"keys": [{"id": "a", "hash": hash_api_key(KEY)}, {"id": "a", "hash": hash_api_key("k2")}]},
            "policies.authn_apikey.keys[1].id",
        ),
        (
            {"keys": [{"id": "a", "hash": hash_api_key(KEY, "hmac-sha256", pepper="p")}]},
            "policies.authn_apikey.keys[0].hash",
        ),
        ({"keys": [{"id": "a", "key": KEY}]}, "policies.authn_apikey.keys[0].key"),  # the unknown key itself
    ],
)
def test_bad_options(opts: dict[str, Any], pointer: str) -> None:
    with pytest.raises(ConfigError) as info:
        authn_apikey.build(opts, ctx())
    assert info.value.pointer == pointer


async def test_pepper_from_named_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIWARD_TEST_PEPPER", PEPPER)
    opts = {"keys": [{"id": "b", "hash": hash_api_key(PEPPERED, "hmac-sha256", pepper=PEPPER)}]}
    p = authn_apikey.build({**opts, "pepper_env": "APIWARD_TEST_PEPPER"}, ctx())
    assert await p.on_request(request(headers=(("X-API-Key", PEPPERED),))) is None
