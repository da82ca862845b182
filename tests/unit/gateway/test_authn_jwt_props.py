"""Property tests: the JWT path never raises, whatever string arrives as a bearer token."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apiward.core import HttpRequest
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import authn_jwt

SECRET = "k" * 48
POLICY = authn_jwt.build(
    {"keys": [{"secret": SECRET, "kid": "h"}], "algorithms": ["HS256", "RS256", "ES256", "EdDSA"]},
    PolicyContext(mode=Mode.ENFORCE, model=None, state=None, http=httpx.AsyncClient()),  # type: ignore[arg-type]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@st.composite
def structured_tokens(draw: st.DrawFn) -> str:
    header: dict[str, Any] = draw(st.dictionaries(st.sampled_from(["alg", "kid", "typ", "crit", "jku"]), json_values))
    if draw(st.booleans()):
        header["alg"] = draw(st.sampled_from(["HS256", "RS256", "none", "ES256", "EdDSA", "HS512"]))
    payload = draw(
        st.dictionaries(st.sampled_from(["sub", "exp", "iat", "nbf", "aud", "iss", "scope", "scp"]), json_values)
    )
    sig = draw(st.binary(max_size=64))
    return ".".join([_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()), _b64(sig)])


def _run(token: str) -> None:
    ex = Exchange(request=HttpRequest(method="GET", path="/", headers=(("Authorization", "Bearer " + token),)))
    deny = asyncio.run(POLICY.on_request(ex))
    if deny is None and ex.identity is None:
        assert ex.notes["bearer_unclaimed"]  # not JWT-shaped: left for introspection / authz
    assert deny is None or ex.identity is None
    if deny is not None:
        assert deny.status == 401


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(token: str) -> None:
    _run(token)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured_tokens())
def test_structured_garbage_never_raises(token: str) -> None:
    _run(token)
