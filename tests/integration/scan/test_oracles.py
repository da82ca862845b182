"""Injection oracles on a small loopback app: real flaws are confirmed; reflection and bare 5xx are not flaws."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apiward.demo import serve
from apiward.scan import ScanConfig, Scanner, registry
from apiward.spec import load_document

ROWS = [{"name": "apple"}, {"name": "pear"}]


async def search(request: Request) -> Response:
    """Time-based SQL injection only: no error text, same answer either way, but a sleep delays it."""
    q = request.query_params.get("q", "")
    m = re.search(r"pg_sleep\((\d+)\)", q)
    if m and "'" in q:
        await asyncio.sleep(int(m.group(1)))
    return JSONResponse([])


async def lookup(request: Request) -> Response:
    """Boolean SQL injection only: a tautology returns every row, a contradiction none."""
    name = request.query_params.get("name", "")
    if "' OR '1'='1" in name:
        return JSONResponse(ROWS)
    return JSONResponse([r for r in ROWS if r["name"] == name])


async def echo(request: Request) -> Response:
    """Reflects the input verbatim (with payloads) — must not be mistaken for evaluation."""
    return JSONResponse({"text": request.query_params.get("text", "")})


async def boom(request: Request) -> Response:
    """Answers 500 to anything odd, with no database text: a 5xx alone proves no injection."""
    value = request.query_params.get("x", "")
    if not value.isalnum():
        return JSONResponse({"error": "internal"}, 500)
    return JSONResponse({"x": value})


def _param(name: str, example: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": True, "schema": {"type": "string"}, "example": example}


def _spec() -> dict[str, Any]:
    ok = {"200": {"description": "ok"}, "500": {"description": "error"}}
    paths = {
        "/search": {"get": {"parameters": [_param("q", "fruit")], "responses": ok}},
        "/lookup": {"get": {"parameters": [_param("name", "apple")], "responses": ok}},
        "/echo": {"get": {"parameters": [_param("text", "hello")], "responses": ok}},
        "/boom": {"get": {"parameters": [_param("x", "abc")], "responses": ok}},
    }
    return {"openapi": "3.0.3", "info": {"title": "oracles", "version": "1"}, "paths": paths}


def test_injection_oracles_confirm_real_flaws_only() -> None:
    app = Starlette(
        routes=[
            Route("/search", search),
            Route("/lookup", lookup),
            Route("/echo", echo),
            Route("/boom", boom),
        ]
    )
    reg = registry()
    checks = [reg[i] for i in ("SCN-100", "SCN-102", "SCN-103", "SCN-104")]
    with serve(app) as server:
        model = load_document(_spec(), source="oracles.json")
        config = ScanConfig.from_mapping({"options": {"sqli_sleep_s": 2}})
        result = asyncio.run(Scanner(model, target=server.url, config=config, checks=checks).run())
    found = {(f.check_id, f.operation.path if f.operation else "", f.location) for f in result.findings}
    assert ("SCN-100", "/lookup", "query:name") in found
    assert ("SCN-100", "/search", "query:q") in found
    oracles = {f.operation.path: f.evidence["details"]["oracle"] for f in result.findings if f.operation}
    assert oracles == {"/lookup": "boolean", "/search": "time"}
    assert not [f for f in result.findings if f.operation and f.operation.path in ("/echo", "/boom")]
