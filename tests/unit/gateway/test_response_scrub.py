"""response_scrub: stack traces and SQL errors in error responses are replaced by a problem+json."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from apiward.core import HttpRequest, HttpResponse
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import response_scrub
from apiward.state import MemoryBackend

LEAKS = {
    "python-traceback": 'Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\nKeyError',
    "java-exception": "java.lang.NullPointerException\n\tat com.shop.api.OrderController.get(OrderController.java:42)",
    "dotnet-frame": "System.NullReferenceException: Object reference\n   at System.Web.Mvc.Controller.Execute(",
    "node-frame": "TypeError: x is undefined\n    at Object.<anonymous> (/srv/app/index.js:10:5)",
    "go-panic": "panic: runtime error: index out of range\n\ngoroutine 1 [running]:",
    "php-error": "<b>Fatal error</b>: Uncaught Error in /var/www/index.php on line <b>12</b>",
    "ruby-frame": "/app/models/user.rb:12:in `find'",
    "sql-mysql": "You have an error in your SQL syntax; check the manual near ''1'' at line 1",
    "sql-postgres": 'ERROR:  syntax error at or near "\'"',
    "sql-oracle": "ORA-00933: SQL command not properly ended",
}


def policy(mode: Mode = Mode.ENFORCE, **options: Any) -> Any:
    ctx = PolicyContext(mode=mode, model=None, state=MemoryBackend(), http=httpx.AsyncClient())
    return response_scrub.build(options, ctx)


def exchange(status: int, body: str, ct: str = "text/plain") -> Exchange:
    ex = Exchange(request=HttpRequest(method="GET", path="/"))
    headers = (("Content-Type", ct), ("Content-Length", str(len(body.encode()))))
    ex.response = HttpResponse(status=status, headers=headers, body=body.encode())
    return ex


@pytest.mark.parametrize(("kind", "body"), LEAKS.items(), ids=list(LEAKS))
async def test_leaks_are_replaced(kind: str, body: str) -> None:
    ex = exchange(500, body)
    assert await policy().on_response(ex) is None
    assert ex.response is not None
    assert ex.response.status == 500
    assert ex.response.content_type == "application/problem+json"
    assert json.loads(ex.response.body) == {"type": "about:blank", "title": "Internal Server Error", "status": 500}
    assert ex.response.header("content-length") == str(len(ex.response.body))
    assert ex.notes["scrubbed"] == kind
    assert "GW-RESP-020" in ex.matched_rules


async def test_log_only_records_without_changing() -> None:
    ex = exchange(500, LEAKS["python-traceback"])
    before = ex.response
    await policy(Mode.LOG_ONLY).on_response(ex)
    assert ex.response is before
    assert "GW-RESP-020" in ex.matched_rules


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, '{"error": "internal error", "id": "abc123"}'),
        (200, LEAKS["python-traceback"]),  # a 2xx body is the API's business (e.g. a log viewer)
        (404, LEAKS["java-exception"]),  # 4xx not scanned by default
        (503, "Service temporarily unavailable"),
    ],
)
async def test_clean_or_out_of_scope_responses_pass(status: int, body: str, mode: Mode) -> None:
    ex = exchange(status, body)
    before = ex.response
    await policy(mode).on_response(ex)
    assert ex.response is before


async def test_4xx_scanning_and_replace_all_5xx() -> None:
    ex = exchange(404, LEAKS["java-exception"])
    await policy(statuses=["4xx", "5xx"]).on_response(ex)
    assert ex.response is not None
    assert ex.response.content_type == "application/problem+json"
    ex = exchange(503, "Service temporarily unavailable: db01.internal:5432 refused")
    await policy(replace_all_5xx=True).on_response(ex)
    assert ex.response is not None
    assert b"db01" not in ex.response.body
