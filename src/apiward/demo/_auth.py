"""Who is calling: bearer JWTs and API keys, with the vulnerable build's credential mistakes behind flaws."""

from __future__ import annotations

from starlette.requests import Request

from apiward.demo._context import DemoError, ctx
from apiward.demo._flaws import Flaw
from apiward.demo._store import Store, User
from apiward.demo._tokens import TokenError

__all__ = ["current_user", "require_user"]


def _guest(store: Store) -> User:
    guest = store.user_by_name("guest")
    if guest is None:
        guest = store.add_user("guest", "guest", "guest@example.test", role="viewer")
    return guest


async def current_user(request: Request) -> User | None:
    """The authenticated user, ``None`` without credentials; :class:`DemoError` 401 for bad credentials."""
    context = ctx(request)
    store = context.store
    authorization = request.headers.get("authorization")
    api_key = request.headers.get("x-api-key")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise DemoError(401, "unauthorized", "expected a bearer token", {"WWW-Authenticate": "Bearer"})
        try:
            claims = await context.tokens.verify(token.strip())
        except TokenError as exc:
            if context.has(Flaw.INVALID_CREDENTIALS) and str(exc) == "malformed token":
                return _guest(store)  # the flaw: unparseable tokens fall back to a guest account
            raise DemoError(
                401, "unauthorized", str(exc), {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            ) from None
        user = store.user_by_name(str(claims.get("sub", "")))
        if user is None:
            raise DemoError(
                401, "unauthorized", "unknown subject", {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            )
        return user
    if api_key:
        user = store.user_by_api_key(api_key)
        if user is not None:
            return user
        if context.has(Flaw.INVALID_CREDENTIALS):
            revoked = store.revoked_api_keys.get(api_key)  # the flaw: revoked keys still work, unknown ones too
            return store.users[revoked] if revoked is not None else _guest(store)
        raise DemoError(401, "unauthorized", "invalid API key")
    return None


async def require_user(request: Request) -> User:
    user = await current_user(request)
    if user is None:
        raise DemoError(401, "unauthorized", "authentication required", {"WWW-Authenticate": "Bearer"})
    return user
