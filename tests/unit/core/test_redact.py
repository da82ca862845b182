from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apiward.core import REDACTED, is_secret_name, redact_headers, redact_mapping, redact_text, redact_url


@pytest.mark.parametrize(
    "name",
    [
        "Authorization",
        "cookie",
        "Set-Cookie",
        "X-API-Key",
        "api_key",
        "access_token",
        "refreshToken",
        "client_secret",
        "password",
        "new_password",
        "X-Auth-Token",
        "sessionid",
    ],
)
def test_secret_names_are_recognised(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["Content-Type", "user_id", "email", "author", "title", "Accept", "page"])
def test_ordinary_names_are_not_secret(name: str) -> None:
    assert not is_secret_name(name)


def test_headers_keep_names_and_order() -> None:
    out = redact_headers(
        [("Authorization", "Bearer abc.def.ghi"), ("Accept", "application/json"), ("Cookie", "sid=123")]
    )
    assert out == [("Authorization", REDACTED), ("Accept", "application/json"), ("Cookie", REDACTED)]


def test_mapping_is_redacted_deeply_and_not_mutated() -> None:
    data = {"user": {"name": "alice", "password": "hunter2", "tokens": [{"access_token": "x1"}]}, "n": 3}
    out = redact_mapping(data)
    assert out["user"]["password"] == REDACTED
    assert out["user"]["tokens"] == REDACTED
    assert out["user"]["name"] == "alice"
    assert out["n"] == 3
    assert data["user"]["password"] == "hunter2"


def test_empty_secret_values_stay_empty() -> None:
    assert redact_mapping({"password": ""}) == {"password": ""}


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer abcdefghijklmnop", "abcdefghijklmnop"),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here", "eyJzdWIiOiIxIn0"),
        ('{"password": "hunter2"}', "hunter2"),
        ("api_key=ZXhhbXBsZQ&x=1", "ZXhhbXBsZQ"),
    ],
)
def test_text_shapes_are_scrubbed(text: str, secret: str) -> None:
    out = redact_text(text)
    assert secret not in out
    assert REDACTED in out


def test_plain_text_is_untouched() -> None:
    text = "The quick brown fox; select the best option from our menu."
    assert redact_text(text) == text


def test_url_query_and_userinfo() -> None:
    out = redact_url("https://bob:pw@example.test/a?api_key=s3cr3t&page=2")
    assert "s3cr3t" not in out
    assert "pw@" not in out
    assert "page=2" in out
    assert redact_url("http://h/a?page=1") == "http://h/a?page=1"


@given(
    st.recursive(
        st.none() | st.text() | st.integers(),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=4),
        max_leaves=20,
    )
)
def test_redact_mapping_never_raises(value: object) -> None:
    redact_mapping(value)
