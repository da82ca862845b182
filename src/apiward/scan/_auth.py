"""Identities at run time: how each one puts its credentials on a request, logs in and refreshes.

``build_auth(name, AuthConfig)`` returns an :class:`Auth` for: none, bearer, API key (header/query/cookie),
basic, cookie session, OAuth2 client-credentials and password grants (fetched, refreshed on expiry or 401)
and a login recipe (POST credentials; token from a JSON pointer, a header or a cookie).
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any

from apiward.core import TargetError
from apiward.scan._config import AuthConfig
from apiward.scan._request import RequestSpec

if TYPE_CHECKING:
    from apiward.scan._client import ScopedClient

__all__ = ["Auth", "build_auth", "json_pointer"]

_EXPIRY_MARGIN = 10.0


def json_pointer(data: Any, pointer: str) -> Any:
    """Resolve an RFC 6901 pointer; ``None`` when it does not lead anywhere."""
    if pointer in ("", "/"):
        return data
    node = data
    for raw in pointer.lstrip("/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


class Auth:
    """One identity's credentials. ``kind`` says where they go: ``header``, ``query``, ``cookie`` or ``none``."""

    def __init__(self, name: str, config: AuthConfig) -> None:
        self.name = name
        self.config = config
        self.type = config.type
        self.token: str | None = None  # the current bearer/session token, when there is one
        self.expires_at: float | None = None
        self.refresh_token: str | None = None
        self.cookies: dict[str, str] = {}
        self.credentials: tuple[str, str] | None = None  # (username, password) of a throwaway account
        self._lock = asyncio.Lock()
        self.location: tuple[str, str, str] = ("none", "", "")  # (where, name, prefix)
        c = config
        if c.type == "bearer":
            self.token = str(c.get("token"))
            self.location = ("header", str(c.get("header", "Authorization")), str(c.get("prefix", "Bearer ")))
        elif c.type == "api_key":
            self.token = str(c.get("value"))
            self.location = (str(c.get("in", "header")), str(c.get("name")), "")
        elif c.type == "basic":
            raw = f"{c.get('username')}:{c.get('password')}".encode()
            self.token = base64.b64encode(raw).decode()
            self.location = ("header", "Authorization", "Basic ")
        elif c.type == "cookie":
            self.token = str(c.get("value"))
            self.location = ("cookie", str(c.get("name")), "")
        elif c.type in ("oauth2_client_credentials", "oauth2_password"):
            self.location = ("header", "Authorization", "Bearer ")
        elif c.type == "login":
            if c.get("token_cookie"):
                self.location = ("cookie", str(c.get("token_cookie")), "")
            else:
                self.location = ("header", str(c.get("header", "Authorization")), str(c.get("prefix", "Bearer ")))

    @property
    def anonymous(self) -> bool:
        return self.type == "none"

    @property
    def needs_fetch(self) -> bool:
        return self.type in ("oauth2_client_credentials", "oauth2_password", "login")

    def apply(self, spec: RequestSpec) -> RequestSpec:
        return self.apply_token(spec, self.token)

    def apply_token(self, spec: RequestSpec, token: str | None) -> RequestSpec:
        """``spec`` carrying ``token`` where this identity puts its credential (used by the auth checks too)."""
        for name, value in self.cookies.items():
            spec = spec.with_cookie(name, value)
        where, name, prefix = self.location
        if token is None or where == "none":
            return spec
        if where == "header":
            return spec.with_header(name, f"{prefix}{token}")
        if where == "query":
            return spec.with_query(name, token)
        return spec.with_cookie(name, token)

    async def ready(self, client: ScopedClient) -> None:
        """Fetch credentials the first time and again when they are about to expire."""
        if not self.needs_fetch:
            return
        if self.token is not None and (self.expires_at is None or time.monotonic() < self.expires_at):
            return
        async with self._lock:
            if self.token is None or (self.expires_at is not None and time.monotonic() >= self.expires_at):
                await self._fetch(client)

    async def refresh(self, client: ScopedClient) -> bool:
        """Called after a 401: fetch fresh credentials. False when this identity cannot refresh."""
        if not self.needs_fetch:
            return False
        async with self._lock:
            await self._fetch(client)
        return True

    async def _fetch(self, client: ScopedClient) -> None:
        c = self.config
        if c.type == "login":
            body = c.get("body")
            form = c.get("form")
            method, path = str(c.get("method", "POST")).upper(), str(c.get("url"))
            if form is not None:
                spec = RequestSpec(method=method, path=path, form=tuple((k, str(v)) for k, v in form.items()))
            elif body is not None:
                spec = RequestSpec(method=method, path=path, json=body)
            else:
                spec = RequestSpec(method=method, path=path)
            ex = await client.send(spec)
            if not ex.ok:
                raise TargetError(f"identity {self.name!r}: login to {c.get('url')} answered {ex.status}")
            self.cookies = _set_cookies(ex.header_all("set-cookie"))
            token: Any = None
            if c.get("token_cookie"):
                token = self.cookies.pop(str(c.get("token_cookie")), None)
            elif c.get("token_header"):
                token = ex.header(str(c.get("token_header")))
                if token and token.lower().startswith("bearer "):
                    token = token[7:]
            else:
                token = json_pointer(ex.data, str(c.get("token_pointer", "/access_token")))
            if not isinstance(token, str) or not token:
                raise TargetError(f"identity {self.name!r}: login answered {ex.status} but carried no token")
            self.token = token
            expires = json_pointer(ex.data, "/expires_in")
            self.expires_at = _expiry(expires)
            return
        grant: dict[str, str]
        if self.refresh_token:
            grant = {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
        elif c.type == "oauth2_client_credentials":
            grant = {"grant_type": "client_credentials"}
        else:
            grant = {"grant_type": "password", "username": str(c.get("username")), "password": str(c.get("password"))}
        for key in ("client_id", "client_secret", "scope"):
            if c.get(key) is not None:
                grant[key] = str(c.get(key))
        ex = await client.send(RequestSpec(method="POST", path=str(c.get("token_url")), form=tuple(grant.items())))
        if not ex.ok and self.refresh_token:
            self.refresh_token = None
            return await self._fetch(client)
        token = json_pointer(ex.data, "/access_token")
        if not ex.ok or not isinstance(token, str):
            raise TargetError(f"identity {self.name!r}: token endpoint answered {ex.status} without access_token")
        self.token = token
        refresh = json_pointer(ex.data, "/refresh_token")
        self.refresh_token = refresh if isinstance(refresh, str) else None
        self.expires_at = _expiry(json_pointer(ex.data, "/expires_in"))
        return None


def _expiry(expires_in: Any) -> float | None:
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool) and expires_in > 0:
        return time.monotonic() + max(float(expires_in) - _EXPIRY_MARGIN, 1.0)
    return None


def _set_cookies(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(value)
        except CookieError:
            continue
        out.update({k: m.value for k, m in jar.items()})
    return out


def build_auth(name: str, config: AuthConfig) -> Auth:
    return Auth(name, config)
