"""SCN-015 jwt-weak-secret."""

from __future__ import annotations

import time
from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._jwt import Jwt, crack_hs
from apiward.scan.checks._base import check
from apiward.scan.checks._jwtcheck import run_jwt_attack
from apiward.scan.checks._jwtprobe import JwtProbe


def cracked_secret(probe: JwtProbe) -> bytes | None:
    """The user's token's HMAC secret if it is in the bundled wordlist (cached; offline)."""
    key = "jwt_secret"
    if key not in probe.ctx.cache:
        probe.ctx.cache[key] = crack_hs(probe.token)
    found = probe.ctx.cache[key]
    return found if isinstance(found, bytes) else None


async def _forge(probe: JwtProbe) -> list[tuple[str, dict[str, Any]]]:
    secret = cracked_secret(probe)
    if secret is None:
        return []
    claims = {**probe.token.claims, "iat": int(time.time()), "apiward": "forged"}
    return [(Jwt.hs(probe.token.header, claims, secret), {"alg": probe.token.alg, "key_length": len(secret)})]


@check(
    id="SCN-015",
    name="jwt-weak-secret",
    title="JWT signed with a guessable HMAC secret",
    owasp=OwaspApi2023.API2,
    cwe=521,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Sign with a random secret of at least 256 bits (or an asymmetric key) kept out of source code.",
    category="jwt",
)
async def jwt_weak_secret(ctx: ScanContext) -> None:
    """The HS256/384/512 secret of the user's token is a common word.

    The scanner cracks one captured token offline against its bundled wordlist (no request per guess), then
    forges a fresh token with the recovered secret and proves the server accepts it. The secret itself is
    never written to the report; only its length.
    """
    await run_jwt_attack(
        ctx,
        jwt_weak_secret.meta,
        _forge,
        "the HMAC secret was cracked offline and a forged token was accepted",
        specific=False,
    )
