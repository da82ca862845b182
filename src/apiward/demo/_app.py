"""``create_app``: one codebase, every planted flaw behind a switch — the vulnerable app and its secure twin."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from apiward.demo import _routes_admin, _routes_hidden, _routes_shop, _routes_tools, _routes_users
from apiward.demo._context import DemoContext, DemoError, Settings, error_response
from apiward.demo._flaws import ALL_FLAWS, Flaw, FlawSet
from apiward.demo._middleware import DemoMiddleware
from apiward.demo._store import Store
from apiward.demo._tokens import TokenService
from apiward.demo._vfs import VirtualFileSystem

__all__ = ["create_app", "openapi_text"]


def openapi_text() -> str:
    """The OpenAPI 3.1 description of the demo API (package data)."""
    return resources.files("apiward.demo").joinpath("openapi.yaml").read_text(encoding="utf-8")


async def _openapi(request: Request) -> Response:
    return Response(openapi_text(), media_type="application/yaml")


async def _demo_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DemoError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
    body = {"error": {"code": code, "message": exc.detail}}
    return JSONResponse(body, exc.status_code, headers=dict(exc.headers or {}))


def create_app(*, secure: bool, flaws: Iterable[Flaw] | None = None, settings: Settings | None = None) -> Starlette:
    """The demo API. ``secure=False`` plants every flaw; ``secure=True`` is the twin with none.

    ``flaws`` overrides the set (for tests that show one flaw at a time); ``settings`` tunes the twin's limits.
    Serve it with :func:`apiward.demo.serve`, which binds loopback only.
    """
    chosen = FlawSet(flaws if flaws is not None else (() if secure else ALL_FLAWS))
    vfs = VirtualFileSystem()
    context = DemoContext(
        flaws=chosen, settings=settings or Settings(), vfs=vfs, store=Store(vfs), tokens=TokenService(chosen, vfs)
    )
    routes: list[BaseRoute] = [
        Route("/openapi.yaml", _openapi, methods=["GET"]),
        *_routes_users.routes(),
        *_routes_shop.routes(),
        *_routes_tools.routes(chosen),
        *_routes_admin.routes(),
    ]
    if Flaw.UNDOCUMENTED_ENDPOINTS in chosen:
        routes += _routes_hidden.routes()
    if Flaw.CORS_REFLECTION in chosen:
        # the flaw: any origin is reflected, with credentials
        cors = Middleware(
            CORSMiddleware, allow_origin_regex=".*", allow_credentials=True, allow_methods=["*"], allow_headers=["*"]
        )
    else:
        cors = Middleware(
            CORSMiddleware,
            allow_origins=list(context.settings.cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key"],
        )
    app = Starlette(
        routes=routes,
        middleware=[Middleware(DemoMiddleware, context=context), cors],
        exception_handlers={DemoError: _demo_error, HTTPException: _http_error},
    )
    app.state.demo = context
    return app
