"""SCN-012 jwt-alg-none."""

from __future__ import annotations

from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._jwt import Jwt
from apiward.scan.checks._base import check
from apiward.scan.checks._jwtcheck import run_jwt_attack
from apiward.scan.checks._jwtprobe import JwtProbe


async def _forge(probe: JwtProbe) -> list[tuple[str, dict[str, Any]]]:
    return [(Jwt.none(probe.token.header, probe.token.claims, alg), {"alg": alg}) for alg in ("none", "None", "NONE")]


@check(
    id="SCN-012",
    name="jwt-alg-none",
    title="JWT with alg 'none' accepted",
    owasp=OwaspApi2023.API2,
    cwe=347,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Verify tokens with an explicit allow-list of algorithms; never accept 'none'.",
    category="jwt",
)
async def jwt_alg_none(ctx: ScanContext) -> None:
    """The server accepts a token whose header says ``alg: none`` and which carries no signature.

    The scanner takes the user's token, keeps its claims, sets ``alg`` to ``none`` (also ``None``/``NONE``),
    drops the signature and replays a protected request that anonymous callers are refused. Accepted twice →
    reported (low confidence if a randomly signed control token is accepted as well).
    """
    await run_jwt_attack(ctx, jwt_alg_none.meta, _forge, "an unsigned token (alg: none) was accepted", specific=True)
