"""Administration operations (the BFLA ground): only the ``admin`` role may call them on the twin."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apiward.demo._auth import require_user
from apiward.demo._context import DemoError, ctx
from apiward.demo._flaws import Flaw
from apiward.demo._routes_users import user_view
from apiward.demo._store import User

__all__ = ["routes"]


async def _require_admin(request: Request) -> User:
    user = await require_user(request)
    if user.role != "admin" and not ctx(request).has(Flaw.BFLA):  # the flaw: a login is enough
        raise DemoError(403, "forbidden", "administrators only")
    return user


async def list_users(request: Request) -> Response:
    await _require_admin(request)
    context = ctx(request)
    return JSONResponse([user_view(u, context) for u in context.store.users.values()])


async def audit_log(request: Request) -> Response:
    await _require_admin(request)
    context = ctx(request)
    entries = [
        {"id": i, "actor": u.username, "action": "login", "at": "2024-01-01T00:00:00Z"}
        for i, u in enumerate(context.store.users.values(), start=1)
    ]
    return JSONResponse(entries)


async def flush_cache(request: Request) -> Response:
    await _require_admin(request)
    return JSONResponse({"flushed": True})


def routes() -> list[Route]:
    return [
        Route("/api/v2/admin/users", list_users, methods=["GET"]),
        Route("/api/v2/admin/audit-log", audit_log, methods=["GET"]),
        Route("/api/v2/admin/cache/flush", flush_cache, methods=["POST"]),
    ]
