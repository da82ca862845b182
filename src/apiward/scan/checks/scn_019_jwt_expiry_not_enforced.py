"""SCN-019 jwt-expiry-not-enforced."""

from __future__ import annotations

import time
from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._jwt import Jwt
from apiward.scan.checks._base import check
from apiward.scan.checks._jwtcheck import run_jwt_attack
from apiward.scan.checks._jwtprobe import JwtProbe
from apiward.scan.checks.scn_015_jwt_weak_secret import cracked_secret


async def _forge(probe: JwtProbe) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    expired = probe.ctx.config.options.get("expired_token")
    if isinstance(expired, str):
        out.append((expired, {"source": "configured expired token"}))
    secret = cracked_secret(probe)
    if secret is not None:
        now = int(time.time())
        past = {**probe.token.claims, "iat": now - 7200, "nbf": now - 7200, "exp": now - 3600}
        future = {**probe.token.claims, "iat": now, "nbf": now + 3600, "exp": now + 7200}
        out.append((Jwt.hs(probe.token.header, past, secret), {"exp": "one hour ago"}))
        out.append((Jwt.hs(probe.token.header, future, secret), {"nbf": "in one hour"}))
    return out


@check(
    id="SCN-019",
    name="jwt-expiry-not-enforced",
    title="Expired or not-yet-valid JWT accepted",
    owasp=OwaspApi2023.API2,
    cwe=613,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    remediation="Require and check 'exp' (and 'nbf') with a small leeway.",
    category="jwt",
)
async def jwt_expiry(ctx: ScanContext) -> None:
    """The server accepts a correctly signed token whose ``exp`` lies in the past or ``nbf`` in the future.

    Correct signatures come from a secret cracked offline (SCN-015) or from an expired token given in the
    scan config (``options.expired_token``); without either the check does not run.
    """
    await run_jwt_attack(
        ctx,
        jwt_expiry.meta,
        _forge,
        "a correctly signed but expired / not-yet-valid token was accepted",
        specific=False,
    )
