"""response_mask: card numbers (Luhn), secrets, password hashes, optional e-mails and SSNs, keys."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from apiward.core import HttpRequest, HttpResponse
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import response_mask
from apiward.spec import ApiModel, ApiOperation
from apiward.state import MemoryBackend

MODEL = ApiModel(
    title="t",
    version="1",
    source="m",
    spec_version="3.1.0",
    operations=(ApiOperation(method="GET", path="/me", operation_id="me"),),
)


def policy(mode: Mode = Mode.ENFORCE, routes: dict[str, Any] | None = None, **options: Any) -> Any:
    ctx = PolicyContext(
        mode=mode, model=MODEL, state=MemoryBackend(), http=httpx.AsyncClient(), route_options=routes or {}
    )
    return response_mask.build(options, ctx)


def exchange(body: Any, ct: str = "application/json") -> Exchange:
    raw = json.dumps(body).encode() if not isinstance(body, str) else body.encode()
    ex = Exchange(request=HttpRequest(method="GET", path="/me"), operation=MODEL.operation("me"))
    ex.response = HttpResponse(status=200, headers=(("Content-Type", ct), ("Content-Length", str(len(raw)))), body=raw)
    return ex


async def test_json_values_are_masked() -> None:
    ex = exchange(
        {
            "card": "4111 1111 1111 1111",
            "cards": [{"pan": "5500-0000-0000-0004"}],
            "order": "4111111111111112",  # fails Luhn: an order id, kept
            "hash": "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
            "note": "key AKIAABCDEFGHIJKLMNOP in text",
            "Password": "hunter2",
            "email": "alice@example.com",
        }
    )
    assert await policy().on_response(ex) is None
    assert ex.response is not None
    got = json.loads(ex.response.body)
    assert got["card"] == "**** **** **** 1111"
    assert got["cards"][0]["pan"] == "****-****-****-0004"
    assert got["order"] == "4111111111111112"
    assert got["hash"] == "[REDACTED]"
    assert got["note"] == "key [REDACTED] in text"
    assert got["Password"] == "[REDACTED]"
    assert got["email"] == "alice@example.com"  # e-mails are opt-in
    assert ex.response.header("content-length") == str(len(ex.response.body))
    assert "GW-RESP-010" in ex.matched_rules
    assert set(ex.notes["masked"]) == {"card", "password_hash", "secret", "key"}


async def test_optional_kinds_and_text_bodies() -> None:
    ex = exchange("contact alice@example.com, ssn 123-45-6789", ct="text/plain")
    await policy(kinds=["email", "ssn"]).on_response(ex)
    assert ex.response is not None
    assert ex.response.body == b"contact a***@example.com, ssn ***-**-6789"


async def test_per_route_options() -> None:
    ex = exchange({"email": "bob@example.com"})
    await policy(routes={"me": {"kinds": ["email"]}}).on_response(ex)
    assert ex.response is not None
    assert json.loads(ex.response.body) == {"email": "b***@example.com"}


async def test_log_only_records_without_changing() -> None:
    ex = exchange({"card": "4111111111111111"})
    before = ex.response
    await policy(Mode.LOG_ONLY).on_response(ex)
    assert ex.response is before
    assert "GW-RESP-010" in ex.matched_rules


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
async def test_clean_body_untouched(mode: Mode) -> None:
    ex = exchange({"id": 12345678901234, "name": "pen", "phone": "+1 555 010 9999"})
    before = ex.response
    await policy(mode).on_response(ex)
    assert ex.response is before
    assert ex.matched_rules == []


async def test_deeply_nested_json_does_not_recurse() -> None:
    body = "[" * 5000 + '"4111111111111111"' + "]" * 5000
    ex = exchange(body)
    await policy().on_response(ex)
    assert ex.response is not None
    assert b"4111111111111111" not in ex.response.body


async def test_per_route_log_only_observes_without_rewriting() -> None:
    ex = exchange({"card": "4111111111111111"})
    before = ex.response
    await policy(routes={"me": {"mode": "log-only"}}).on_response(ex)
    assert ex.response is before
    assert "GW-RESP-010" in ex.matched_rules
