"""Common shape of the JWT checks: forge tokens from the captured one, report when the server accepts one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from apiward.core import Confidence
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import CheckMeta
from apiward.scan.checks._jwtprobe import JwtProbe, jwt_probe

__all__ = ["run_jwt_attack"]

Forge = Callable[[JwtProbe], Awaitable[list[tuple[str, dict[str, Any]]]]]


async def run_jwt_attack(ctx: ScanContext, meta: CheckMeta, forge: Forge, message: str, *, specific: bool) -> None:
    """Try each forged token twice; report the first accepted one.

    ``specific`` attacks (``alg: none``, key confusion, ``kid``, ``jwk``/``jku``) are downgraded to low confidence
    when a control token with a random signature is accepted too, since the server then checks nothing at all.
    """
    probe = await jwt_probe(ctx)
    if probe is None:
        ctx.not_run(meta, "needs a user identity whose token is a JWT and a request refused to anonymous callers")
        return
    for token, details in await forge(probe):
        first = await probe.accepted(token)
        if first is None:
            continue
        proof = await probe.accepted(token)
        if proof is None:
            continue
        confidence = None
        if specific and await probe.signature_unverified():
            confidence = Confidence.LOW
            details = {**details, "note": "a token with a random signature is accepted too"}
        ctx.report(
            meta,
            operation=probe.sample.op,
            location=f"token:{meta.name}",
            message=message,
            proof=proof,
            extra=details,
            confidence=confidence,
        )
        return
