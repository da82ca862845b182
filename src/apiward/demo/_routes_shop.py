"""Accounts, orders, invoices and invoice files: resources owned by one user each (the BOLA ground)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apiward.demo._auth import current_user, require_user
from apiward.demo._context import DemoContext, DemoError, ctx, read_json
from apiward.demo._flaws import Flaw
from apiward.demo._store import Account, Invoice, Order, User
from apiward.demo._vfs import FILES_ROOT

__all__ = ["parse_id", "routes"]

_INVOICE_FILE = re.compile(r"^invoice-\d{1,9}\.pdf$")
_PRICES = {"Blue mug": 9.5, "Red mug": 9.5, "Chef knife": 49.0, "USB-C cable": 12.0, "Headphones": 89.0}


def parse_id(context: DemoContext, raw: Any, what: str) -> int:
    """An integer id from a path/query/body value; the vulnerable app trusts ``int()`` blindly."""
    if context.has(Flaw.SERVER_ERROR):
        return int(raw)  # the flaw: "abc" raises ValueError and becomes a 500
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.isdigit() and len(raw) < 10:
        return int(raw)
    raise DemoError(404, "not_found", f"no such {what}")


def _owned(context: DemoContext, user: User | None, owner_id: int) -> bool:
    """May ``user`` touch an object of ``owner_id``? The vulnerable app never asks."""
    if context.has(Flaw.BOLA):
        return True
    return user is not None and (user.id == owner_id or user.role == "admin")


def account_view(account: Account, context: DemoContext) -> dict[str, Any]:
    # the flaw: the currency goes out in lower case, outside the schema's enum
    currency = account.currency.lower() if context.has(Flaw.SCHEMA_MISMATCH) else account.currency
    view = {"id": account.id, "owner_id": account.owner_id, "name": account.name, "iban": account.iban}
    return view | {"balance": account.balance, "currency": currency}


def order_view(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "owner_id": order.owner_id,
        "account_id": order.account_id,
        "item": order.item,
        "quantity": order.quantity,
        "unit_price": order.unit_price,
        "total": round(order.unit_price * order.quantity, 2),
        "status": order.status,
        "note": order.note,
    }


def invoice_view(invoice: Invoice) -> dict[str, Any]:
    view = {"id": invoice.id, "owner_id": invoice.owner_id, "order_id": invoice.order_id, "amount": invoice.amount}
    return view | {"status": invoice.status, "file": invoice.file}


# -- accounts ---------------------------------------------------------------------------------------
async def list_accounts(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    mine = [account_view(a, context) for a in context.store.accounts.values() if a.owner_id == user.id]
    return JSONResponse(mine)


async def create_account(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    body = await read_json(request)
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        raise DemoError(400, "invalid_field", "name must be a string of 1..100 characters")
    account = context.store.add_account(user.id, name)
    if context.has(Flaw.MASS_ASSIGNMENT) and isinstance(body.get("balance"), int | float):
        account.balance = float(body["balance"])  # the flaw: a read-only balance is written
    elif not context.has(Flaw.MASS_ASSIGNMENT) and set(body) - {"name", "currency"}:
        raise DemoError(400, "unknown_field", "unknown or read-only field(s) in body")
    location = f"/api/v2/accounts/{account.id}"
    return JSONResponse(account_view(account, context), 201, headers={"Location": location})


def _account(context: DemoContext, user: User, raw: Any) -> Account:
    account = context.store.accounts.get(parse_id(context, raw, "account"))
    if account is None or not _owned(context, user, account.owner_id):
        raise DemoError(404, "not_found", "no such account")
    return account


async def get_account(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    return JSONResponse(account_view(_account(context, user, request.path_params["accountId"]), context))


async def update_account(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    account = _account(context, user, request.path_params["accountId"])
    body = await read_json(request)
    if context.has(Flaw.MASS_ASSIGNMENT):
        if isinstance(body.get("balance"), int | float):
            account.balance = float(body["balance"])
        if isinstance(body.get("owner_id"), int):
            account.owner_id = body["owner_id"]
    elif set(body) - {"name"}:
        raise DemoError(400, "unknown_field", "only name may be changed")
    if "name" in body:
        name = body["name"]
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            raise DemoError(400, "invalid_field", "name must be a string of 1..100 characters")
        account.name = name
    return JSONResponse(account_view(account, context))


# -- orders -----------------------------------------------------------------------------------------
def _page_params(context: DemoContext, request: Request) -> tuple[int, int]:
    try:
        page = int(request.query_params.get("page", "1"))
        size = int(request.query_params.get("page_size", "20"))
    except ValueError:
        raise DemoError(400, "invalid_field", "page and page_size must be integers") from None
    if page < 1 or size < 1:
        raise DemoError(400, "invalid_field", "page and page_size must be >= 1")
    if size > context.settings.max_page_size and not context.has(Flaw.UNBOUNDED_PAGE_SIZE):
        raise DemoError(400, "invalid_field", f"page_size must be <= {context.settings.max_page_size}")
    return page, size


async def list_orders(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    page, size = _page_params(context, request)
    mine = [order_view(o) for o in context.store.orders.values() if o.owner_id == user.id]
    items = mine[(page - 1) * size : page * size]
    return JSONResponse({"items": items, "page": page, "page_size": size, "total": len(mine)})


def _order_fields(body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "item" in body or not partial:
        item = body.get("item")
        if not isinstance(item, str) or not 1 <= len(item) <= 100:
            raise DemoError(400, "invalid_field", "item must be a string of 1..100 characters")
        out["item"] = item
    if "quantity" in body or not partial:
        quantity = body.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 1000:
            raise DemoError(400, "invalid_field", "quantity must be an integer 1..1000")
        out["quantity"] = quantity
    if "note" in body:
        note = body["note"]
        if not isinstance(note, str):
            raise DemoError(400, "invalid_field", "note must be a string")
        out["note"] = note
    return out


async def create_order(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    body = await read_json(request)
    fields = _order_fields(body, partial=False)
    if not context.has(Flaw.OVERSIZED_PAYLOAD) and len(fields.get("note", "")) > 500:
        raise DemoError(400, "invalid_field", "note must be at most 500 characters")
    account_id = body.get("account_id")
    mine = [a for a in context.store.accounts.values() if a.owner_id == user.id]
    if account_id is None:
        if not mine:
            mine = [context.store.add_account(user.id, f"{user.username}'s current account")]
        account = mine[0]
    else:
        account = _account(context, user, account_id)
    order = context.store.add_order(
        user.id, account.id, fields["item"], fields["quantity"], _PRICES.get(fields["item"], 10.0)
    )
    order.note = fields.get("note", "")
    return JSONResponse(order_view(order), 201, headers={"Location": f"/api/v2/orders/{order.id}"})


def _order(context: DemoContext, user: User, raw: Any) -> Order:
    order = context.store.orders.get(parse_id(context, raw, "order"))
    if order is None or not _owned(context, user, order.owner_id):
        raise DemoError(404, "not_found", "no such order")
    return order


async def get_order(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    return JSONResponse(order_view(_order(context, user, request.path_params["orderId"])))


async def update_order(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    order = _order(context, user, request.path_params["orderId"])
    body = await read_json(request)
    fields = _order_fields(body, partial=True)
    if not context.has(Flaw.OVERSIZED_PAYLOAD) and len(fields.get("note", "")) > 500:
        raise DemoError(400, "invalid_field", "note must be at most 500 characters")
    for key, value in fields.items():
        setattr(order, key, value)
    if "item" in fields:
        order.unit_price = _PRICES.get(order.item, 10.0)
    return JSONResponse(order_view(order))


async def delete_order(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    order = _order(context, user, request.path_params["orderId"])
    del context.store.orders[order.id]
    return Response(status_code=204)


async def export_orders(request: Request) -> Response:
    """Deprecated in favour of paging through GET /orders; the twin answers 410 Gone."""
    context, user = ctx(request), await require_user(request)
    if not context.has(Flaw.DEPRECATED_SERVED):
        raise DemoError(410, "gone", "this operation was retired; page through GET /api/v2/orders")
    return JSONResponse([order_view(o) for o in context.store.orders.values() if o.owner_id == user.id])


# -- invoices ---------------------------------------------------------------------------------------
async def list_invoices(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    return JSONResponse([invoice_view(i) for i in context.store.invoices.values() if i.owner_id == user.id])


async def create_invoice(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    body = await read_json(request)
    order = _order(context, user, body.get("order_id"))
    invoice = context.store.add_invoice(order.owner_id, order.id, round(order.unit_price * order.quantity, 2))
    return JSONResponse(invoice_view(invoice), 201, headers={"Location": f"/api/v2/invoices/{invoice.id}"})


def _invoice(context: DemoContext, user: User | None, raw: Any) -> Invoice:
    invoice = context.store.invoices.get(parse_id(context, raw, "invoice"))
    if invoice is None or not _owned(context, user, invoice.owner_id):
        raise DemoError(404, "not_found", "no such invoice")
    return invoice


async def get_invoice(request: Request) -> Response:
    context = ctx(request)
    # the flaw: this handler forgot the authentication guard
    user = await current_user(request) if context.has(Flaw.MISSING_AUTHENTICATION) else await require_user(request)
    if user is None:
        invoice = context.store.invoices.get(parse_id(context, request.path_params["invoiceId"], "invoice"))
        if invoice is None:
            raise DemoError(404, "not_found", "no such invoice")
        return JSONResponse(invoice_view(invoice))
    return JSONResponse(invoice_view(_invoice(context, user, request.path_params["invoiceId"])))


async def lookup_invoice(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    return JSONResponse(invoice_view(_invoice(context, user, request.query_params.get("invoiceId"))))


async def query_invoice(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    body = await read_json(request)
    return JSONResponse(invoice_view(_invoice(context, user, body.get("invoice_id"))))


async def download_file(request: Request) -> Response:
    context, user = ctx(request), await require_user(request)
    name = request.query_params.get("name", "")
    if context.has(Flaw.PATH_TRAVERSAL):
        # the flaw: the name is decoded once more and joined to the folder, so "../" walks out of it
        data = context.vfs.read(f"{FILES_ROOT}/{unquote(name)}")
    else:
        owned = {i.file for i in context.store.invoices.values() if i.owner_id == user.id}
        data = context.vfs.read(f"{FILES_ROOT}/{name}") if _INVOICE_FILE.match(name) and name in owned else None
    if data is None:
        raise DemoError(404, "not_found", "no such file")
    return Response(data, media_type="application/octet-stream")


def routes() -> list[Route]:
    return [
        Route("/api/v2/accounts", list_accounts, methods=["GET"]),
        Route("/api/v2/accounts", create_account, methods=["POST"]),
        Route("/api/v2/accounts/{accountId}", get_account, methods=["GET"]),
        Route("/api/v2/accounts/{accountId}", update_account, methods=["PATCH"]),
        Route("/api/v2/orders", list_orders, methods=["GET"]),
        Route("/api/v2/orders", create_order, methods=["POST"]),
        Route("/api/v2/orders/export", export_orders, methods=["GET"]),
        Route("/api/v2/orders/{orderId}", get_order, methods=["GET"]),
        Route("/api/v2/orders/{orderId}", update_order, methods=["PUT"]),
        Route("/api/v2/orders/{orderId}", delete_order, methods=["DELETE"]),
        Route("/api/v2/invoices", list_invoices, methods=["GET"]),
        Route("/api/v2/invoices", create_invoice, methods=["POST"]),
        Route("/api/v2/invoices/lookup", lookup_invoice, methods=["GET"]),
        Route("/api/v2/invoices/query", query_invoice, methods=["POST"]),
        Route("/api/v2/invoices/{invoiceId}", get_invoice, methods=["GET"]),
        Route("/api/v2/files", download_file, methods=["GET"]),
    ]
