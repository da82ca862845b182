"""People: register, login, the caller's profile, password change, username check and the JWKS."""

from __future__ import annotations

import re
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apiward.demo._auth import require_user
from apiward.demo._context import DemoContext, DemoError, ctx, read_json
from apiward.demo._flaws import Flaw
from apiward.demo._nosql import matches
from apiward.demo._store import User, check_password, hash_password
from apiward.demo._tokens import TOKEN_TTL_S

__all__ = ["routes", "user_view"]

USERNAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]{2,31}$")
#: The flaw: nested quantifiers backtrack exponentially on "aaaa…!" (about a second at 25 characters).
#: Input is capped at 27 characters so the worst case stays at a few seconds of one core.
_CATASTROPHIC = re.compile(r"^([a-zA-Z0-9]+)+$")
_REDOS_CAP = 27
_DUMMY_HASH = hash_password("timing-equaliser")

_PROFILE_FIELDS = frozenset({"email", "display_name", "phone"})
_MASS_FIELDS = {"role": "role", "isAdmin": "is_admin", "is_admin": "is_admin", "verified": "verified"}


def user_view(user: User, context: DemoContext) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "phone": user.phone,
        "role": user.role,
        "verified": user.verified,
        "created_at": user.created_at,
    }
    if context.has(Flaw.DATA_EXPOSURE):  # the flaw: the whole record goes out
        view |= {"password_hash": user.password_hash, "api_key": user.api_key, "ssn": user.ssn}
        view |= {"is_admin": user.is_admin, "isAdmin": user.is_admin}
    return view


def _reject_unknown(body: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise DemoError(400, "unknown_field", f"unknown or read-only field(s): {', '.join(unknown)}")


def _mass_assign(user: User, body: dict[str, Any]) -> None:
    """The flaw: privileged fields in the body are written to the record."""
    for key, attr in _MASS_FIELDS.items():
        if key in body:
            value = body[key]
            setattr(user, attr, str(value) if attr == "role" else bool(value))
    if user.is_admin and "role" not in body:
        user.role = "admin"


def _string(body: dict[str, Any], name: str, *, min_len: int = 1, max_len: int = 200) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not min_len <= len(value) <= max_len:
        raise DemoError(400, "invalid_field", f"{name} must be a string of {min_len}..{max_len} characters")
    return value


async def register(request: Request) -> Response:
    context = ctx(request)
    body = await read_json(request)
    if not context.has(Flaw.MASS_ASSIGNMENT):
        _reject_unknown(body, frozenset({"username", "password", "email", "display_name"}))
    username = _string(body, "username", min_len=3, max_len=32)
    if not USERNAME.match(username):
        raise DemoError(400, "invalid_field", "username must start with a letter: letters, digits, _")
    password = _string(body, "password", min_len=8, max_len=128)
    email = _string(body, "email", min_len=3, max_len=254)
    if context.store.user_by_name(username) is not None:
        raise DemoError(409, "conflict", "username is taken")
    user = context.store.add_user(username, password, email)
    if isinstance(body.get("display_name"), str):
        user.display_name = body["display_name"][:100]
    if context.has(Flaw.MASS_ASSIGNMENT):
        _mass_assign(user, body)
    context.store.add_account(user.id, f"{username}'s current account")
    return JSONResponse(user_view(user, context), 201, headers={"Location": "/api/v2/users/me"})


def _throttled(context: DemoContext, username: str) -> bool:
    if context.has(Flaw.NO_LOGIN_THROTTLE):
        return False
    now = time.monotonic()
    recent = [t for t in context.store.login_failures.get(username, []) if now - t < context.settings.login_lock_s]
    context.store.login_failures[username] = recent
    return len(recent) >= context.settings.login_max_failures


def _fail(context: DemoContext, username: str, code: str, message: str, status: int = 401) -> DemoError:
    if not context.has(Flaw.NO_LOGIN_THROTTLE):
        context.store.login_failures.setdefault(username, []).append(time.monotonic())
    if not context.has(Flaw.USER_ENUMERATION):
        return DemoError(401, "invalid_credentials", "invalid username or password")
    return DemoError(status, code, message)


async def login(request: Request) -> Response:
    context = ctx(request)
    body = await read_json(request)
    username, password = body.get("username"), body.get("password")
    store = context.store
    if context.has(Flaw.NOSQL_INJECTION) and (isinstance(username, dict) or isinstance(password, dict)):
        # the flaw: the body goes straight into a document query {username: …, password_hash: …}
        user = next((u for u in store.users.values() if matches(u.username, username)), None)
        if user is not None and isinstance(password, dict) and matches(user.password_hash, password):
            return _token_response(context, user)
        if user is not None and isinstance(password, str) and check_password(password, user.password_hash):
            return _token_response(context, user)
        raise DemoError(401, "invalid_credentials", "invalid username or password")
    if not isinstance(username, str) or not isinstance(password, str) or not username or len(username) > 64:
        raise DemoError(400, "invalid_field", "username and password must be strings")
    if _throttled(context, username):
        retry = str(int(context.settings.login_lock_s))
        raise DemoError(429, "too_many_attempts", "too many failed logins; try later", {"Retry-After": retry})
    user = store.user_by_name(username)
    if user is None:
        check_password(password, _DUMMY_HASH)  # same work as for a real user: no timing oracle
        raise _fail(context, username, "unknown_user", f"no user named {username!r}", 404)
    if not check_password(password[:128], user.password_hash):
        raise _fail(context, username, "wrong_password", "wrong password for this user")
    store.login_failures.pop(username, None)
    return _token_response(context, user)


def _token_response(context: DemoContext, user: User) -> Response:
    token = context.tokens.issue(user.username, user.role)
    return JSONResponse({"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_TTL_S})


async def me(request: Request) -> Response:
    return JSONResponse(user_view(await require_user(request), ctx(request)))


async def update_me(request: Request) -> Response:
    context = ctx(request)
    user = await require_user(request)
    body = await read_json(request)
    if context.has(Flaw.MASS_ASSIGNMENT):
        _mass_assign(user, body)
    else:
        _reject_unknown(body, _PROFILE_FIELDS)
    if "email" in body:
        user.email = _string(body, "email", min_len=3, max_len=254)
    if "display_name" in body:
        user.display_name = _string(body, "display_name", max_len=100)
    if "phone" in body:
        user.phone = _string(body, "phone", max_len=32)
    return JSONResponse(user_view(user, context))


async def change_password(request: Request) -> Response:
    user = await require_user(request)
    body = await read_json(request)
    current = _string(body, "current_password", max_len=128)
    new = _string(body, "new_password", min_len=8, max_len=128)
    if not check_password(current, user.password_hash):
        raise DemoError(403, "forbidden", "current password is wrong")
    user.password_hash = hash_password(new)
    return Response(status_code=204)


async def user_profile(request: Request) -> Response:
    context = ctx(request)
    caller = await require_user(request)
    raw = request.path_params["userId"]
    if context.has(Flaw.SERVER_ERROR):
        user_id = int(raw)  # the flaw: "abc" raises and becomes a 500
    elif not raw.isdigit():
        raise DemoError(404, "not_found", "no such user")
    else:
        user_id = int(raw)
    user = context.store.users.get(user_id)
    allowed = context.has(Flaw.BOLA) or (user is not None and (user.id == caller.id or caller.role == "admin"))
    if user is None or not allowed:
        raise DemoError(404, "not_found", "no such user")
    return JSONResponse(user_view(user, context))


async def check_username(request: Request) -> Response:
    context = ctx(request)
    username = request.query_params.get("username", "")
    if context.has(Flaw.REDOS):
        if not 1 <= len(username) <= _REDOS_CAP:
            raise DemoError(400, "invalid_field", f"username must be 1..{_REDOS_CAP} characters")
        valid = await run_in_threadpool(lambda: _CATASTROPHIC.match(username) is not None)
    else:
        valid = USERNAME.match(username) is not None
    if not valid:
        raise DemoError(400, "invalid_field", "username must start with a letter: letters, digits, _ (3..32)")
    return JSONResponse({"username": username, "available": context.store.user_by_name(username) is None})


async def jwks(request: Request) -> Response:
    return JSONResponse(ctx(request).tokens.jwks)


def routes() -> list[Route]:
    return [
        Route("/api/v2/auth/register", register, methods=["POST"]),
        Route("/api/v2/auth/login", login, methods=["POST"]),
        Route("/api/v2/users/me", me, methods=["GET"]),
        Route("/api/v2/users/me", update_me, methods=["PATCH"]),
        Route("/api/v2/users/me/password", change_password, methods=["PUT"]),
        Route("/api/v2/users/check-username", check_username, methods=["GET"]),
        Route("/api/v2/users/{userId}", user_profile, methods=["GET"]),
        Route("/.well-known/jwks.json", jwks, methods=["GET"]),
    ]
