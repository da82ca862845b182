"""Products (search, find, comments), URL preview, webhooks, the ping tool, reports and statistics."""

from __future__ import annotations

import asyncio
import ipaddress
import re
import sqlite3
from typing import Any
from urllib.parse import urlsplit

import httpx
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apiward.demo._auth import current_user, require_user
from apiward.demo._context import DemoContext, DemoError, ctx, read_json
from apiward.demo._flaws import Flaw, FlawSet
from apiward.demo._nosql import matches
from apiward.demo._routes_shop import parse_id
from apiward.demo._shell import simulate
from apiward.demo._store import Report, Webhook
from apiward.demo._templates import render_heading, sandbox
from apiward.demo._tokens import is_loopback_url

__all__ = ["routes"]

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9-]{1,63})*$")
_CATEGORY = re.compile(r"^[a-z]{1,32}$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ENV = sandbox()


# -- products ---------------------------------------------------------------------------------------
async def list_products(request: Request) -> Response:
    context = ctx(request)
    category = request.query_params.get("category")
    base = "SELECT id, name, category, price FROM products"
    if category is None:
        rows = await run_in_threadpool(context.store.query_products, f"{base} ORDER BY id")
    elif context.has(Flaw.SQL_INJECTION):
        sql = f"{base} WHERE category = '{category}' ORDER BY id"  # the flaw: string-built SQL
        try:
            rows = await run_in_threadpool(context.store.query_products, sql)
        except sqlite3.Error as exc:  # ... and the driver's message is passed straight back
            return JSONResponse({"error": {"code": "db_error", "message": f"sqlite3.{type(exc).__name__}: {exc}"}}, 500)
    else:
        if not _CATEGORY.match(category):
            raise DemoError(400, "invalid_field", "category must be 1..32 lower-case letters")
        rows = await run_in_threadpool(
            context.store.query_products, f"{base} WHERE category = ? ORDER BY id", (category,)
        )
    return JSONResponse(rows)


async def get_product(request: Request) -> Response:
    context = ctx(request)
    product_id = parse_id(context, request.path_params["productId"], "product")
    rows = await run_in_threadpool(
        context.store.query_products, "SELECT id, name, category, price FROM products WHERE id = ?", (product_id,)
    )
    if not rows:
        raise DemoError(404, "not_found", "no such product")
    return JSONResponse(rows[0])


async def delete_product(request: Request) -> Response:
    """Undeclared in the description: a forgotten handler that answers (and changes nothing)."""
    return JSONResponse({"deleted": request.path_params["productId"], "legacy": True})


async def find_products(request: Request) -> Response:
    context = ctx(request)
    body = await read_json(request)
    rows = await run_in_threadpool(context.store.query_products, "SELECT id, name, category, price FROM products")
    for key in ("name", "category"):
        if key not in body:
            continue
        condition = body[key]
        if not context.has(Flaw.NOSQL_INJECTION) and not isinstance(condition, str):
            raise DemoError(400, "invalid_field", f"{key} must be a string")
        # the flaw (when on): an operator object such as {"$ne": null} is evaluated, not compared
        rows = [r for r in rows if matches(r[key], condition)]
    return JSONResponse(rows)


async def list_comments(request: Request) -> Response:
    context = ctx(request)
    product_id = parse_id(context, request.path_params["productId"], "product")
    comments = context.store.comments.get(product_id, [])
    return JSONResponse(comments)


async def add_comment(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    product_id = parse_id(context, request.path_params["productId"], "product")
    body = await read_json(request)
    text = body.get("text")
    limit = 10_000_000 if context.has(Flaw.OVERSIZED_PAYLOAD) else 1000
    if not isinstance(text, str) or not 1 <= len(text) <= limit:
        raise DemoError(400, "invalid_field", "text must be a string of 1..1000 characters")
    comments = context.store.comments.setdefault(product_id, [])
    comment = {"id": len(comments) + 1, "product_id": product_id, "author": user.username, "text": text}
    comments.append(comment)
    del comments[:-100]  # keep the newest 100 per product, so even the vulnerable build's memory stays bounded
    # the flaw: 200 where the description promises 201
    return JSONResponse(comment, 200 if context.has(Flaw.SCHEMA_MISMATCH) else 201)


# -- outbound fetches (SSRF ground) -----------------------------------------------------------------
def _allowed_target(context: DemoContext, url: str) -> bool:
    """May the server fetch ``url``? The vulnerable app does not ask (but :func:`_fetch` only ever reaches loopback)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if context.has(Flaw.SSRF):
        return parts.scheme in ("http", "https")
    host = parts.hostname or ""
    try:
        ipaddress.ip_address(host)
        return False  # the twin never fetches IP literals
    except ValueError:
        pass
    return parts.scheme == "https" and host in context.settings.fetch_allow_hosts


async def _fetch(url: str, method: str = "GET", json: Any = None) -> httpx.Response | None:
    if not is_loopback_url(url):  # belt and braces: nothing ever leaves the machine
        return None
    try:
        async with httpx.AsyncClient(timeout=3.0, follow_redirects=False, trust_env=False) as client:
            return await client.request(method, url, json=json)
    except httpx.HTTPError:
        return None


def _url(body: dict[str, Any]) -> str:
    url = body.get("url")
    if not isinstance(url, str) or not 1 <= len(url) <= 2048:
        raise DemoError(400, "invalid_field", "url must be a string of 1..2048 characters")
    return url


async def preview(request: Request) -> Response:
    context = ctx(request)
    await require_user(request)
    url = _url(await read_json(request))
    if not _allowed_target(context, url):
        raise DemoError(400, "url_not_allowed", "this URL may not be previewed")
    response = await _fetch(url)
    if response is None:
        raise DemoError(422, "unreachable", "the URL could not be fetched")
    title = re.search(r"<title>(.{0,200}?)</title>", response.text, re.I | re.S)
    return JSONResponse(
        {
            "url": url,
            "status": response.status_code,
            "title": title.group(1) if title else None,
            "content_type": response.headers.get("content-type"),
            "excerpt": response.text[:500],
        }
    )


def webhook_view(hook: Webhook) -> dict[str, Any]:
    return {"id": hook.id, "owner_id": hook.owner_id, "url": hook.url, "events": hook.events}


async def create_webhook(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    body = await read_json(request)
    url = _url(body)
    events = body.get("events", ["order.created"])
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise DemoError(400, "invalid_field", "events must be a list of strings")
    if not _allowed_target(context, url):
        raise DemoError(400, "url_not_allowed", "webhook host is not on the allow-list")
    hook = context.store.add_webhook(user.id, url, events[:10])
    await _fetch(url, "POST", {"event": "webhook.test", "webhook_id": hook.id})
    return JSONResponse(webhook_view(hook), 201, headers={"Location": f"/api/v2/webhooks/{hook.id}"})


async def list_webhooks(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    hooks = context.store.webhooks.values()
    return JSONResponse([webhook_view(h) for h in hooks if h.owner_id == user.id and not h.deleted])


def _webhook(context: DemoContext, request: Request, user_id: int, role: str) -> Webhook:
    hook = context.store.webhooks.get(parse_id(context, request.path_params["webhookId"], "webhook"))
    # the flaw (DELETE_NOT_EFFECTIVE): a soft-deleted webhook is still served
    gone = hook is None or (hook.deleted and not context.has(Flaw.DELETE_NOT_EFFECTIVE))
    if hook is None or gone or not (hook.owner_id == user_id or role == "admin" or context.has(Flaw.BOLA)):
        raise DemoError(404, "not_found", "no such webhook")
    return hook


async def get_webhook(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    return JSONResponse(webhook_view(_webhook(context, request, user.id, user.role)))


async def delete_webhook(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    hook = _webhook(context, request, user.id, user.role)
    if hook.deleted:
        raise DemoError(404, "not_found", "no such webhook")
    hook.deleted = True
    return Response(status_code=204)


# -- the ping tool (command-injection ground) -------------------------------------------------------
async def ping(request: Request) -> Response:
    context = ctx(request)
    await require_user(request)
    body = await read_json(request)
    host = body.get("host")
    if not isinstance(host, str) or not 1 <= len(host) <= 2048:
        raise DemoError(400, "invalid_field", "host must be a string")
    if context.has(Flaw.COMMAND_INJECTION):
        result = simulate(f"ping -c 1 {host}", context.vfs)  # the flaw: the host is pasted into a shell line
    else:
        if not _HOSTNAME.match(host):
            raise DemoError(400, "invalid_field", "host must be a host name or an IPv4 address")
        result = simulate("ping -c 1 target", context.vfs)
        result.output = result.output.replace("target", host)
    if result.sleep_s:
        await asyncio.sleep(result.sleep_s)
    return JSONResponse({"host": host, "output": result.output, "exit_code": result.status})


# -- reports (SSTI ground) --------------------------------------------------------------------------
def report_view(context: DemoContext, report: Report) -> dict[str, Any]:
    if context.has(Flaw.SSTI):
        heading = render_heading(_ENV, f"Report: {report.title} ({{{{ period }}}})", period=report.period)
    else:
        heading = render_heading(_ENV, "Report: {{ title }} ({{ period }})", title=report.title, period=report.period)
    view = {"id": report.id, "owner_id": report.owner_id, "title": report.title, "period": report.period}
    return view | {"heading": heading}


async def create_report(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    body = await read_json(request)
    title, period = body.get("title"), body.get("period", "2024-01")
    if not isinstance(title, str) or not 1 <= len(title) <= 200:
        raise DemoError(400, "invalid_field", "title must be a string of 1..200 characters")
    if not isinstance(period, str) or not _PERIOD.match(period):
        raise DemoError(400, "invalid_field", "period must look like 2024-01")
    report = context.store.add_report(user.id, title, period)
    return JSONResponse(report_view(context, report), 201, headers={"Location": f"/api/v2/reports/{report.id}"})


async def get_report(request: Request) -> Response:
    context = ctx(request)
    # the flaw: reports are readable without logging in
    user = await current_user(request) if context.has(Flaw.MISSING_AUTHENTICATION) else await require_user(request)
    report = context.store.reports.get(parse_id(context, request.path_params["reportId"], "report"))
    if report is None:
        raise DemoError(404, "not_found", "no such report")
    if user is not None and not (context.has(Flaw.BOLA) or report.owner_id == user.id or user.role == "admin"):
        raise DemoError(404, "not_found", "no such report")
    return JSONResponse(report_view(context, report))


async def stats(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    if context.has(Flaw.SLOW_RESPONSE):
        await asyncio.sleep(1.2)  # the flaw: an unindexed aggregate, recomputed on every call
    mine = [o for o in context.store.orders.values() if o.owner_id == user.id]
    spent = round(sum(o.unit_price * o.quantity for o in mine), 2)
    return JSONResponse({"orders": len(mine), "spent": spent, "currency": "EUR"})


def routes(flaws: FlawSet) -> list[Route]:
    forgotten = [Route("/api/v2/products/{productId}", delete_product, methods=["DELETE"])]
    return [
        *(forgotten if Flaw.UNDECLARED_METHODS in flaws else []),
        Route("/api/v2/products", list_products, methods=["GET"]),
        Route("/api/v2/products/find", find_products, methods=["POST"]),
        Route("/api/v2/products/{productId}", get_product, methods=["GET"]),
        Route("/api/v2/products/{productId}/comments", list_comments, methods=["GET"]),
        Route("/api/v2/products/{productId}/comments", add_comment, methods=["POST"]),
        Route("/api/v2/preview", preview, methods=["POST"]),
        Route("/api/v2/webhooks", list_webhooks, methods=["GET"]),
        Route("/api/v2/webhooks", create_webhook, methods=["POST"]),
        Route("/api/v2/webhooks/{webhookId}", get_webhook, methods=["GET"]),
        Route("/api/v2/webhooks/{webhookId}", delete_webhook, methods=["DELETE"]),
        Route("/api/v2/tools/ping", ping, methods=["POST"]),
        Route("/api/v2/reports", create_report, methods=["POST"]),
        Route("/api/v2/reports/{reportId}", get_report, methods=["GET"]),
        Route("/api/v2/stats", stats, methods=["GET"]),
    ]
