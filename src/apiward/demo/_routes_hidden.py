"""Endpoints the description does not document: debug pages, actuator, ``.env``, an admin console.

Only the vulnerable app serves them; the twin has none of these routes.
"""

from __future__ import annotations

import platform

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from apiward.demo._context import ctx

__all__ = ["routes"]


async def debug(request: Request) -> Response:
    context = ctx(request)
    return JSONResponse(
        {
            "debug": True,
            "python": platform.python_version(),
            "users": len(context.store.users),
            "config": {"JWT_SECRET": context.tokens.hmac_secret.decode("latin-1"), "DB_URL": "sqlite:///:memory:"},
        }
    )


async def actuator(request: Request) -> Response:
    return JSONResponse(
        {
            "_links": {
                "self": {"href": "/actuator"},
                "health": {"href": "/actuator/health"},
                "env": {"href": "/actuator/env"},
            }
        }
    )


async def actuator_health(request: Request) -> Response:
    return JSONResponse({"status": "UP", "components": {"db": {"status": "UP", "details": {"database": "SQLite"}}}})


async def actuator_env(request: Request) -> Response:
    return JSONResponse(
        {
            "activeProfiles": ["dev"],
            "propertySources": [{"name": "systemEnvironment", "properties": {"JWT_SECRET": "secret"}}],
        }
    )


async def dotenv(request: Request) -> Response:
    data = ctx(request).vfs.read("/srv/apiward-demo/.env") or b""
    return PlainTextResponse(data.decode())


async def admin_console(request: Request) -> Response:
    return HTMLResponse("<!doctype html><title>Shop admin</title><h1>Shop administration</h1><a href=/debug>debug</a>")


def routes() -> list[Route]:
    return [
        Route("/debug", debug, methods=["GET"]),
        Route("/actuator", actuator, methods=["GET"]),
        Route("/actuator/health", actuator_health, methods=["GET"]),
        Route("/actuator/env", actuator_env, methods=["GET"]),
        Route("/.env", dotenv, methods=["GET"]),
        Route("/admin", admin_console, methods=["GET"]),
        Route("/console", admin_console, methods=["GET"]),
    ]
