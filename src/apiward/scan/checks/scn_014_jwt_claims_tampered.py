"""SCN-014 jwt-claims-tampered."""

from __future__ import annotations

from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._jwt import Jwt, b64e
from apiward.scan.checks._base import check
from apiward.scan.checks._jwtcheck import run_jwt_attack
from apiward.scan.checks._jwtprobe import JwtProbe


async def _forge(probe: JwtProbe) -> list[tuple[str, dict[str, Any]]]:
    claims = dict(probe.token.claims)
    other = Jwt.parse(getattr(probe.ctx.role("user2"), "token", None))
    changed: dict[str, Any] = {}
    if other is not None and "sub" in other.claims and other.claims.get("sub") != claims.get("sub"):
        changed["sub"] = other.claims["sub"]
    elif "sub" in claims:
        changed["sub"] = f"{claims['sub']}-apiward"
    if "role" in claims:
        changed["role"] = "admin"
    changed["apiward"] = "tampered"
    unsigned = Jwt.encode_unsigned(probe.token.header, {**claims, **changed})
    token = f"{unsigned}.{b64e(probe.token.signature)}"
    return [(token, {"changed_claims": sorted(changed)})]


@check(
    id="SCN-014",
    name="jwt-claims-tampered",
    title="JWT with tampered claims accepted (signature not verified)",
    owasp=OwaspApi2023.API2,
    cwe=347,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Verify the token signature before reading any claim.",
    category="jwt",
)
async def jwt_claims_tampered(ctx: ScanContext) -> None:
    """The server accepts the user's token after its claims were changed while the old signature was kept.

    The scanner swaps ``sub`` for the second user's subject (or a made-up one), raises ``role`` and adds a
    claim; the signature no longer matches, so acceptance proves the signature is not verified.
    """
    await run_jwt_attack(
        ctx,
        jwt_claims_tampered.meta,
        _forge,
        "a token with altered claims and a stale signature was accepted",
        specific=False,
    )
