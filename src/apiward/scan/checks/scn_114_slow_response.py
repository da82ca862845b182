"""SCN-114 slow-response."""

from __future__ import annotations

import statistics

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check


@check(
    id="SCN-114",
    name="slow-response",
    title="Response-time outlier",
    owasp=OwaspApi2023.API4,
    cwe=400,
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    remediation="Profile the operation; add pagination, indexes, caching or timeouts so it cannot tie up workers.",
    category="reliability",
    wfc="312",
)
async def slow_response(ctx: ScanContext) -> None:
    """An operation whose baseline answer takes at least ``options.slow_ms`` (default 1000 ms) and at least
    3x the scan's median latency, and stays that slow on two more requests. Slow operations are cheap
    denial-of-service levers.
    """
    threshold = float(ctx.option("slow_ms", 1000))
    times = [s.exchange.elapsed_ms for s in ctx.samples.values()]
    if len(times) < 3:
        return
    median = statistics.median(times)
    for sample in list(ctx.samples.values()):
        if sample.exchange.elapsed_ms < max(threshold, 3 * median) or sample.op.method not in ("GET", "HEAD"):
            continue
        runs = await ctx.gather(ctx.send(sample.spec, ctx.user) for _ in range(2))
        if all(r.elapsed_ms >= threshold for r in runs):
            ctx.report(
                slow_response.meta,
                operation=sample.op,
                location="latency",
                message=f"{sample.op.ref.key} took {min(r.elapsed_ms for r in runs):.0f} ms or more "
                f"(scan median {median:.0f} ms)",
                proof=runs[-1],
                extra={"median_ms": round(median, 1), "threshold_ms": threshold},
            )
