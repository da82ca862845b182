"""SCN-043 redos."""

from __future__ import annotations

import re

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check
from apiward.scan.checks._util import Point, injection_points

_NAMES = re.compile(r"(?i)(user|name|email|mail|search|query|^q$|pattern|regex|filter|match|slug|code|phone)")
_SHORT, _LONG = 12, 24
_MIN_GROWTH_MS = 400


@check(
    id="SCN-043",
    name="redos",
    title="Regular-expression denial of service (latency grows with input)",
    owasp=OwaspApi2023.API4,
    cwe=1333,
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    remediation="Use linear-time regex engines (RE2) or bound input length before matching.",
    category="resource-consumption",
)
async def redos(ctx: ScanContext) -> None:
    """Response time grows super-linearly with a crafted input (``'a' * n + '!'``): the classic signature of
    catastrophic backtracking in a validation regex.

    Tried on string fields that declare a ``pattern`` or look validated (user/name/email/search …): all are
    screened at once with the long input, and the slow ones are then measured one at a time. Reported
    when the long input takes at least 10x the short one and at least 0.4 s more, reproduced twice.
    """
    candidates: list[tuple[Sample, Point]] = []
    for s in ctx.samples.values():
        for point in injection_points(s):
            if point.where != "path" and _NAMES.search(point.name):
                candidates.append((s, point))

    async def timed(sample: Sample, point: Point, n: int) -> Exchange:
        return await ctx.send(point.inject(sample, "a" * n + "!"), ctx.user)

    def grew(short: Exchange, long: Exchange) -> bool:
        return long.elapsed_ms >= 10 * max(short.elapsed_ms, 5) and long.elapsed_ms - short.elapsed_ms >= _MIN_GROWTH_MS

    # screen every candidate at once with the long input; only slow ones get the careful, sequential measurement
    screens = await ctx.gather(timed(s, p, _LONG) for s, p in candidates[:30])
    slow = [(c, ex) for c, ex in zip(candidates[:30], screens, strict=True) if ex.elapsed_ms >= _MIN_GROWTH_MS]
    for (sample, point), screen in slow:
        if not grew(await timed(sample, point, _SHORT), screen):
            continue
        short = await timed(sample, point, _SHORT)
        again = await timed(sample, point, _LONG)
        proof = again if grew(short, again) else None
        if proof is not None:
            ctx.report(
                redos.meta,
                operation=sample.op,
                location=point.label,
                message=f"{point.label}: {_LONG + 1}-character input took {proof.elapsed_ms:.0f} ms",
                proof=proof,
            )
            return
