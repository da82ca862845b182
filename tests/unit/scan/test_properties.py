"""Property tests for the parsers the scanner exposes to untrusted input: config mappings and JWTs."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from apiward.core import ConfigError
from apiward.scan import ScanConfig
from apiward.scan._jwt import Jwt

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
_keys = st.sampled_from(
    [
        "identities",
        "target",
        "concurrency",
        "rate_limit",
        "timeout",
        "checks",
        "options",
        "throwaway",
        "login",
        "headers",
        "role",
        "auth",
        "type",
        "token",
        "concurency",
    ]
) | st.text(max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_keys, _json, max_size=5))
def test_config_parser_accepts_or_raises_config_error_only(data: dict[str, Any]) -> None:
    message = "ok"
    try:
        ScanConfig.from_mapping(data)
    except ConfigError as exc:
        message = str(exc)
    assert message


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["alice", "bob"]), st.dictionaries(_keys, _json, max_size=3), max_size=2))
def test_identity_blocks_never_crash(identities: dict[str, Any]) -> None:
    message = "identities: ok"
    try:
        ScanConfig.from_mapping({"identities": identities})
    except ConfigError as exc:
        message = str(exc)
    assert "identities" in message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.lists(st.text("abcXYZ012-_=", max_size=12), min_size=3, max_size=3).map(".".join))
def test_jwt_parse_never_raises(token: str) -> None:
    parsed = Jwt.parse(token)
    assert parsed is None or isinstance(parsed.claims, dict)
