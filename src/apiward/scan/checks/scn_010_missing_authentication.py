"""SCN-010 missing-authentication."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check
from apiward.scan.checks._util import same_content


@check(
    id="SCN-010",
    name="missing-authentication",
    title="Operation that declares security answers without credentials",
    owasp=OwaspApi2023.API2,
    cwe=306,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    remediation="Enforce the declared security scheme on this operation (deny by default, allow-list public routes).",
    category="authentication",
    wfc="311",
)
async def missing_authentication(ctx: ScanContext) -> None:
    """An operation whose description requires authentication serves its data to an anonymous caller.

    Every operation that declares ``security`` and answered 2xx to the scanning user is replayed with no
    credentials at all. It is reported when the anonymous answer is 2xx and carries the same content as the
    authenticated one, on two attempts. Read-only methods only: no state is changed anonymously.
    """
    samples = [s for s in ctx.samples.values() if s.op.requires_auth and s.op.method in ("GET", "HEAD")]

    async def one(sample: Sample) -> None:
        async def probe() -> Exchange | None:
            ex = await ctx.send(sample.spec, None, refresh=False)
            return ex if ex.ok and sample.exchange.body and same_content(ex, sample.exchange) else None

        proof = await ctx.confirm(probe)
        if proof is not None:
            ctx.report(
                missing_authentication.meta,
                operation=sample.op,
                location="security",
                message=f"{sample.op.ref.key} declares security but served the same data without credentials",
                proof=proof,
            )

    await ctx.gather(one(s) for s in samples)
