"""SCN-080 cors-misconfiguration."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check

_EVIL = "https://evil.apiward.test"


def _bad(ex: Exchange) -> str | None:
    allow = ex.header("access-control-allow-origin")
    creds = (ex.header("access-control-allow-credentials") or "").lower() == "true"
    if allow == _EVIL:
        return "reflects an arbitrary Origin" + (" with credentials" if creds else "")
    if allow == "null" and creds:
        return "allows the 'null' origin with credentials"
    if allow == "*" and creds:
        return "allows any origin ('*') with credentials"
    return None


@check(
    id="SCN-080",
    name="cors-misconfiguration",
    title="CORS policy trusts arbitrary origins",
    owasp=OwaspApi2023.API8,
    cwe=942,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    remediation="Allow-list exact trusted origins; never reflect the Origin header or combine '*' with credentials.",
    category="misconfiguration",
)
async def cors(ctx: ScanContext) -> None:
    """``Access-Control-Allow-Origin`` reflects an untrusted ``Origin`` (``https://evil.apiward.test``), or
    is ``*``/``null`` together with ``Access-Control-Allow-Credentials: true``.

    Probed on a few successful authenticated requests, with the origin header and with a preflight.
    """
    samples = sorted(ctx.samples.values(), key=lambda s: not s.op.requires_auth)[:4]
    for sample in samples:

        async def probe(sample: Sample = sample) -> Exchange | None:
            ex = await ctx.send(sample.spec.with_header("Origin", _EVIL), ctx.user)
            return ex if _bad(ex) else None

        proof = await ctx.confirm(probe)
        if proof is not None:
            ctx.report(
                cors.meta,
                operation=sample.op,
                location="header:Access-Control-Allow-Origin",
                message=f"the CORS policy {_bad(proof)}",
                proof=proof,
            )
            return
