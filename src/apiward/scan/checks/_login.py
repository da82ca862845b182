"""The login operation as the authentication checks see it: URL, field names, and safe accounts to use."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from apiward.scan._context import ScanContext
from apiward.scan._request import Exchange, RequestSpec

__all__ = ["LoginTarget", "login_target"]


@dataclass(frozen=True, slots=True)
class LoginTarget:
    url: str
    user_field: str
    password_field: str
    extra: dict[str, Any]

    def spec(self, username: str, password: str) -> RequestSpec:
        return RequestSpec(
            method="POST", path=self.url, json={**self.extra, self.user_field: username, self.password_field: password}
        )

    async def attempt(self, ctx: ScanContext, username: str, password: str | None = None) -> Exchange:
        wrong = password if password is not None else "Wrong-" + secrets.token_hex(6)
        return await ctx.send(self.spec(username, wrong), None, retry=False, refresh=False)


def login_target(ctx: ScanContext) -> LoginTarget | None:
    cfg = ctx.config.login
    if cfg is not None:
        return LoginTarget(cfg.url, cfg.username_field, cfg.password_field, {})
    for auth in ctx.auths.values():
        body = auth.config.get("body")
        if auth.type == "login" and isinstance(body, dict):
            user_field = next((k for k in body if k.lower() in ("username", "user", "email", "login")), None)
            pass_field = next((k for k in body if "pass" in k.lower()), None)
            if user_field and pass_field:
                extra = {k: v for k, v in body.items() if k not in (user_field, pass_field)}
                return LoginTarget(str(auth.config.get("url")), user_field, pass_field, extra)
    return None
