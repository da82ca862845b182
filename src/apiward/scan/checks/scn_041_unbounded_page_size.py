"""SCN-041 unbounded-page-size."""

from __future__ import annotations

from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check
from apiward.scan.checks._util import leaves
from apiward.spec import ParamLocation

_NAMES = frozenset(
    {
        "limit",
        "page_size",
        "pagesize",
        "per_page",
        "perpage",
        "size",
        "count",
        "max",
        "top",
        "take",
        "first",
        "pagelimit",
        "page_limit",
        "maxresults",
        "max_results",
    }
)
_HUGE = 100000


def _items(data: Any) -> int:
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict):
        return max((len(v) for v in data.values() if isinstance(v, list)), default=0)
    return 0


@check(
    id="SCN-041",
    name="unbounded-page-size",
    title="Page size is not bounded",
    owasp=OwaspApi2023.API4,
    cwe=770,
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    remediation="Declare and enforce a maximum page size (reject or clamp larger values).",
    category="resource-consumption",
)
async def unbounded_page_size(ctx: ScanContext) -> None:
    """A page-size parameter (``limit``, ``page_size``, ``per_page``, ``size``, ``count`` …) set to 100000
    is honoured: the answer is 2xx and either echoes 100000 or returns more items than the declared
    ``maximum``. A server that rejects the value or clamps it (and says so) passes.
    """
    found: list[tuple[Sample, str]] = []
    for s in ctx.samples.values():
        if s.op.method != "GET":
            continue
        for p in s.op.params(ParamLocation.QUERY):
            if p.name.lower() in _NAMES:
                found.append((s, p.name))

    async def one(sample: Sample, name: str) -> None:
        param = next(p for p in sample.op.parameters if p.name == name)
        maximum = param.schema.get("maximum") if param.schema else None
        spec = sample.spec.with_query(name, str(_HUGE))

        async def probe() -> Exchange | None:
            ex = await ctx.send(spec, ctx.user)
            if not ex.ok:
                return None
            echoed = any(v == _HUGE and not isinstance(v, bool) for _, _, v in leaves(ex.data))
            over = isinstance(maximum, int) and _items(ex.data) > maximum
            return ex if echoed or over else None

        proof = await ctx.confirm(probe)
        if proof is not None:
            ctx.report(
                unbounded_page_size.meta,
                operation=sample.op,
                location=f"query:{name}",
                message=f"{name}={_HUGE} was accepted (declared maximum: {maximum})",
                proof=proof,
            )

    await ctx.gather(one(s, n) for s, n in found)
