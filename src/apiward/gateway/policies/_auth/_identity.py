"""Claims → :class:`Identity`: subject, scopes (``scope``/``scp``), roles and tenant from claim paths."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from apiward.core import Identity, token_fingerprint

__all__ = ["claim_at", "identity_from_claims", "scopes_of"]


def claim_at(claims: Mapping[str, Any], path: str | None) -> Any:
    """The value at a dotted claim path (``realm_access.roles``); a claim with the full name wins."""
    if not path:
        return None
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _strings(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list | tuple):
        return frozenset(v for v in value if isinstance(v, str))
    return frozenset()


def scopes_of(claims: Mapping[str, Any], names: tuple[str, ...] = ("scope", "scp")) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for name in names:
        out |= _strings(claims.get(name))
    return out


def identity_from_claims(
    claims: Mapping[str, Any],
    *,
    kind: str,
    token: str,
    scope_claims: tuple[str, ...] = ("scope", "scp"),
    roles_claim: str | None = None,
    tenant_claim: str | None = None,
    subject_claim: str = "sub",
) -> Identity:
    subject = claims.get(subject_claim)
    if not isinstance(subject, str) or not subject:
        subject = str(claims.get("client_id") or "unknown")
    tenant = claim_at(claims, tenant_claim)
    issuer = claims.get("iss")
    return Identity(
        subject=subject,
        kind=kind,
        issuer=issuer if isinstance(issuer, str) else None,
        scopes=scopes_of(claims, scope_claims),
        roles=_strings(claim_at(claims, roles_claim)),
        tenant=str(tenant) if isinstance(tenant, str | int) else None,
        token_fingerprint=token_fingerprint(token),
        claims=MappingProxyType(dict(claims)),
    )
