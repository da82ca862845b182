"""The scan configuration for the demo's seeded identities (the scanner's config format)."""

from __future__ import annotations

from typing import Any

from apiward.demo._identities import SEEDED_USERS

__all__ = ["demo_scan_config"]

_LOGIN = "/api/v2/auth/login"
_ROLES = {"alice": "user", "bob": "user2", "carol": "low", "admin": "admin"}


def _login_auth(username: str, password: str) -> dict[str, Any]:
    body = {"username": username, "password": password}
    return {"type": "login", "url": _LOGIN, "body": body, "token_pointer": "/access_token"}


def demo_scan_config(target: str) -> dict[str, Any]:
    """A ready scan config for the demo at ``target``: alice and bob (same role), carol (low), admin, anonymous."""
    identities: dict[str, Any] = {
        user.username: {"role": _ROLES[user.username], "auth": _login_auth(user.username, user.password)}
        for user in SEEDED_USERS
    }
    identities["anon"] = {"role": "anonymous"}
    return {
        "target": target.rstrip("/"),
        "identities": identities,
        "throwaway": {
            "register": {
                "url": "/api/v2/auth/register",
                "body": {"username": "{name}", "password": "{password}", "email": "{name}@example.test"},
            },
            "login": {
                "url": _LOGIN,
                "body": {"username": "{name}", "password": "{password}"},
                "token_pointer": "/access_token",
            },
        },
        "login": {"url": _LOGIN, "username_field": "username", "password_field": "password", "known_user": "alice"},
    }
