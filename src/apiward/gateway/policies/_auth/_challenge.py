"""``WWW-Authenticate`` challenges (RFC 6750 §3) and bearer-token extraction."""

from __future__ import annotations

from collections.abc import Iterable

from apiward.core import HttpRequest

__all__ = ["bearer_challenge", "bearer_token"]


def _quote(value: str) -> str:
    # auth-param values are quoted-strings: keep them to visible ASCII without quotes or backslashes.
    return "".join(c for c in value if 0x20 <= ord(c) < 0x7F and c not in '"\\')


def bearer_challenge(
    *,
    realm: str = "apiward",
    error: str | None = None,
    description: str | None = None,
    scopes: Iterable[str] = (),
) -> str:
    parts = [f'realm="{_quote(realm)}"']
    if error:
        parts.append(f'error="{_quote(error)}"')
    if description:
        parts.append(f'error_description="{_quote(description)}"')
    scope = " ".join(sorted(scopes))
    if scope:
        parts.append(f'scope="{_quote(scope)}"')
    return "Bearer " + ", ".join(parts)


def bearer_token(request: HttpRequest, header: str = "authorization", scheme: str = "bearer") -> str | None:
    """The token of ``Authorization: Bearer <token>``; ``""`` when the scheme has no token, ``None`` if absent."""
    value = request.header(header)
    if not value:
        return None
    got, _, token = value.strip().partition(" ")
    if got.lower() != scheme.lower():
        return None
    return token.strip()
