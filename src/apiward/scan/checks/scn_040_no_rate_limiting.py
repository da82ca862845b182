"""SCN-040 no-rate-limiting."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check

_HEADERS = ("ratelimit-limit", "ratelimit", "x-ratelimit-limit", "x-rate-limit-limit", "ratelimit-policy")


def _limited(ex: Exchange) -> bool:
    return ex.status == 429 or any(ex.header(h) is not None for h in _HEADERS)


@check(
    id="SCN-040",
    name="no-rate-limiting",
    title="No rate limiting",
    owasp=OwaspApi2023.API4,
    cwe=770,
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    remediation="Limit requests per client and per identity (429 + Retry-After) and advertise the policy "
    "(RateLimit headers).",
    category="resource-consumption",
)
async def no_rate_limiting(ctx: ScanContext) -> None:
    """A quick burst of identical requests (``options.burst_size``, default 50) to one authenticated read
    operation is never throttled (no 429) and no response advertises a limit (``RateLimit-*``,
    ``X-RateLimit-*``).

    One burst per scan, on the cheapest authenticated ``GET`` the scan saw succeed; the burst is repeated
    once before reporting.
    """
    burst = ctx.option("burst_size", 50)
    samples = sorted(
        (s for s in ctx.samples.values() if s.op.method == "GET" and "{" not in s.op.path),
        key=lambda s: (not s.op.requires_auth, s.exchange.elapsed_ms),
    )
    if not samples:
        return
    sample = samples[0]
    if _limited(sample.exchange):
        return

    async def probe() -> Exchange | None:
        results = await ctx.gather(ctx.send(sample.spec, ctx.user, retry=False) for _ in range(burst))
        if any(_limited(ex) for ex in results):
            return None
        ok = [ex for ex in results if ex.ok]
        return ok[-1] if len(ok) == len(results) else None

    proof = await ctx.confirm(probe)
    if proof is not None:
        ctx.report(
            no_rate_limiting.meta,
            operation=sample.op,
            location="burst",
            message=f"{2 * burst} requests in two bursts: all answered 2xx, none throttled, no rate-limit headers",
            proof=proof,
            extra={"burst_size": burst},
        )
