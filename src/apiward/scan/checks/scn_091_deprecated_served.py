"""SCN-091 deprecated-operation-served."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check


@check(
    id="SCN-091",
    name="deprecated-operation-served",
    title="Deprecated operation still served",
    owasp=OwaspApi2023.API9,
    cwe=1059,
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    remediation="Retire deprecated operations on a schedule (410 Gone, Sunset header) and track their callers.",
    category="inventory",
)
async def deprecated_served(ctx: ScanContext) -> None:
    """An operation marked ``deprecated: true`` still answers 2xx — the zombie endpoints of OWASP API9.

    The baseline request is re-sent once to confirm before reporting.
    """
    for sample in list(ctx.samples.values()):
        if not sample.op.deprecated:
            continue
        again = await ctx.send(sample.spec, ctx.user)
        if again.ok and sample.op.method in ("GET", "HEAD"):
            ctx.report(
                deprecated_served.meta,
                operation=sample.op,
                location="deprecated",
                message=f"deprecated {sample.op.ref.key} still answers {again.status}",
                proof=again,
            )
        elif sample.exchange.ok:
            ctx.report(
                deprecated_served.meta,
                operation=sample.op,
                location="deprecated",
                message=f"deprecated {sample.op.ref.key} still answers {sample.exchange.status}",
                proof=sample.exchange,
            )
