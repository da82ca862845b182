"""SCN-013 jwt-signature-stripped."""

from __future__ import annotations

from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check
from apiward.scan.checks._jwtcheck import run_jwt_attack
from apiward.scan.checks._jwtprobe import JwtProbe


async def _forge(probe: JwtProbe) -> list[tuple[str, dict[str, Any]]]:
    return [(probe.token.signing_input + ".", {"alg": probe.token.alg, "signature": "removed"})]


@check(
    id="SCN-013",
    name="jwt-signature-stripped",
    title="JWT without its signature accepted",
    owasp=OwaspApi2023.API2,
    cwe=347,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Reject tokens whose signature is missing or does not verify.",
    category="jwt",
)
async def jwt_signature_stripped(ctx: ScanContext) -> None:
    """The server accepts the user's own token with the signature part removed (``header.payload.``).

    The header still names a signing algorithm, so a server that verifies signatures must refuse it.
    """
    await run_jwt_attack(
        ctx, jwt_signature_stripped.meta, _forge, "a token with its signature removed was accepted", specific=False
    )
