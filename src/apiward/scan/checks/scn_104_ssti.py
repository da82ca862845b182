"""SCN-104 ssti."""

from __future__ import annotations

import secrets

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan.checks._base import check
from apiward.scan.checks._inject import each_point
from apiward.scan.checks._util import Point

_SYNTAXES = ("{{%d*%d}}", "${%d*%d}", "<%%= %d*%d %%>", "#{%d*%d}", "{%d*%d}")


@check(
    id="SCN-104",
    name="ssti",
    title="Server-side template injection",
    owasp=OwaspApi2023.API8,
    cwe=1336,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Never compile templates from user input; pass input as template data, in a sandbox.",
    category="injection",
)
async def ssti(ctx: ScanContext) -> None:
    """A request value is evaluated as a template: ``{{a*b}}`` (also ``${…}``, ``<%= … %>``, ``#{…}``)
    comes back as the product of two random numbers, which appears nowhere in the request. Confirmed
    with a second random product.
    """

    async def oracle(sample: Sample, point: Point) -> tuple[object, str, dict[str, object]] | None:
        for syntax in _SYNTAXES:
            a, b = 1000 + secrets.randbelow(9000), 1000 + secrets.randbelow(9000)
            ex = await ctx.send(point.inject(sample, syntax % (a, b)), ctx.user)
            if str(a * b) not in ex.text:
                continue
            a, b = 1000 + secrets.randbelow(9000), 1000 + secrets.randbelow(9000)
            again = await ctx.send(point.inject(sample, syntax % (a, b)), ctx.user)
            if str(a * b) in again.text:
                return (
                    again,
                    f"{point.label}: template expression {syntax % (a, b)!r} was evaluated",
                    {"syntax": syntax.replace("%d", "n").replace("%%", "%")},
                )
        return None

    await each_point(ctx, ssti.meta, oracle)
