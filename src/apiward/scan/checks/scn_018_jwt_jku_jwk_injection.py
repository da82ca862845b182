"""SCN-018 jwt-jku-jwk-injection."""

from __future__ import annotations

from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._jwt import Jwt, generate_rsa, rsa_public_jwk
from apiward.scan.checks._base import check
from apiward.scan.checks._jwtcheck import run_jwt_attack
from apiward.scan.checks._jwtprobe import JwtProbe


async def _forge(probe: JwtProbe) -> list[tuple[str, dict[str, Any]]]:
    key = generate_rsa()
    jwk = rsa_public_jwk(key, "apiward-attacker")
    base = {k: v for k, v in probe.token.header.items() if k not in ("alg", "kid", "jku", "jwk")}
    out = [(Jwt.rs({**base, "kid": jwk["kid"], "jwk": jwk}, probe.token.claims, key), {"header": "jwk"})]
    oob = probe.ctx.oob
    if oob is not None:
        url = oob.serve_json(oob.new_token(), {"keys": [jwk]})
        out.append((Jwt.rs({**base, "kid": jwk["kid"], "jku": url}, probe.token.claims, key), {"header": "jku"}))
    return out


@check(
    id="SCN-018",
    name="jwt-jku-jwk-injection",
    title="JWT signed with an attacker key named in 'jwk'/'jku' accepted",
    owasp=OwaspApi2023.API2,
    cwe=347,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Ignore 'jwk'/'jku'/'x5u' headers or pin them to an allow-list of trusted issuers' key sets.",
    category="jwt",
)
async def jwt_jku_jwk(ctx: ScanContext) -> None:
    """The server trusts a key the token brings along: an embedded ``jwk`` header or a ``jku`` URL.

    The scanner generates its own RSA key, signs the user's claims with it and either embeds the public
    key as ``jwk`` or serves it from its loopback callback listener and points ``jku`` there.
    """
    await run_jwt_attack(
        ctx,
        jwt_jku_jwk.meta,
        _forge,
        "a token signed with a key of the scanner's choosing was accepted",
        specific=True,
    )
