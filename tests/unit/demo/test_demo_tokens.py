"""Token verification of both builds: strict on the twin, each classic mistake on the vulnerable app only."""

from __future__ import annotations

import asyncio
import time

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apiward.demo import ALL_FLAWS
from apiward.demo._flaws import FlawSet
from apiward.demo._tokens import TokenError, TokenService, is_loopback_url
from apiward.demo._vfs import VirtualFileSystem


def _service(secure: bool) -> TokenService:
    return TokenService(FlawSet(() if secure else ALL_FLAWS), VirtualFileSystem())


@pytest.mark.parametrize("secure", [False, True])
def test_issued_tokens_verify(secure: bool) -> None:
    service = _service(secure)
    claims = asyncio.run(service.verify(service.issue("alice", "user")))
    assert claims["sub"] == "alice"
    assert jwt.get_unverified_header(service.issue("alice", "user"))["alg"] == ("RS256" if secure else "HS256")


def test_the_twin_refuses_expired_and_foreign_tokens() -> None:
    service = _service(secure=True)
    with pytest.raises(TokenError):
        asyncio.run(service.verify(service.issue("alice", "user", ttl_s=-3600)))
    now = int(time.time())
    forged = jwt.encode({"sub": "alice", "exp": now + 60}, "x" * 32, algorithm="HS256")
    with pytest.raises(TokenError):
        asyncio.run(service.verify(forged))


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(st.text(max_size=60), min_size=3, max_size=3).map(".".join)))
def test_verification_only_ever_raises_token_error(token: str) -> None:
    for secure in (False, True):
        try:
            claims = asyncio.run(_service(secure).verify(token))
        except TokenError:
            continue
        assert isinstance(claims, dict)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8080/cb", True),
        ("https://127.42.0.1/", True),
        ("http://localhost:9/x", True),
        ("http://[::1]/", False),
        ("http://127.1/", False),
        ("http://10.0.0.1/", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("http://localhost.evil.example/", False),
        ("http://127.0.0.1@evil.example/", False),
        ("http://evil.example#@127.0.0.1/", False),
        ("file:///etc/passwd", False),
        ("gopher://127.0.0.1:6379/_FLUSHALL", False),
        ("http://127.0.0.1:99999/", False),
    ],
)
def test_outbound_calls_can_only_reach_loopback(url: str, expected: bool) -> None:
    assert is_loopback_url(url) is expected
