"""SCN-101 nosql-injection."""

from __future__ import annotations

import secrets

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan.checks._base import check
from apiward.scan.checks._inject import each_point
from apiward.scan.checks._util import Point, similarity


@check(
    id="SCN-101",
    name="nosql-injection",
    title="NoSQL operator injection",
    owasp=OwaspApi2023.API8,
    cwe=943,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Reject non-scalar values where scalars are expected; never pass request objects as query filters.",
    category="injection",
)
async def nosql_injection(ctx: ScanContext) -> None:
    """A JSON body field (or query parameter as ``name[$ne]=``) accepts a query operator object —
    ``{"$ne": …}``, ``{"$gt": ""}`` — that changes the result.

    Two controls: a random string in the same place, and an inert object (``{"apiward": …}`` /
    ``name[apiward]=``) that is not an operator. The operator variant must answer 2xx with a result that
    differs from both, twice — so a server that merely ignores a malformed filter is not reported.
    """

    async def oracle(sample: Sample, point: Point) -> tuple[object, str, dict[str, object]] | None:
        if point.where not in ("body", "query") or (point.where == "body" and not isinstance(sample.spec.json, dict)):
            return None
        junk = "apiward-" + secrets.token_hex(6)
        control = await ctx.send(point.inject(sample, junk), ctx.user)
        for operator in ({"$ne": junk}, {"$gt": ""}, {"$regex": ".*"}):
            if point.where == "body":
                attack = point.inject(sample, operator)
            else:
                op_name, op_value = next(iter(operator.items()))
                kept = tuple((k, v) for k, v in sample.spec.query if k != point.name)
                attack = sample.spec.replace(query=(*kept, (f"{point.name}[{op_name}]", str(op_value))))
            first = await ctx.send(attack, ctx.user)
            if not first.ok or (control.ok and similarity(first.body, control.body) > 0.95):
                continue
            # second control: an object / bracketed name that is not an operator must not do the same
            if point.where == "body":
                inert = point.inject(sample, {"apiward": junk})
            else:
                kept = tuple((k, v) for k, v in sample.spec.query if k != point.name)
                inert = sample.spec.replace(query=(*kept, (f"{point.name}[apiward]", junk)))
            neutral = await ctx.send(inert, ctx.user)
            if neutral.ok and similarity(first.body, neutral.body) > 0.95:
                continue
            second = await ctx.send(attack, ctx.user)
            if second.ok and similarity(first.body, second.body) > 0.9:
                return (
                    second,
                    f"{point.label}: operator {operator!r} changed the result (control: {control.status})",
                    {"operator": next(iter(operator)), "control_status": control.status},
                )
        return None

    await each_point(ctx, nosql_injection.meta, oracle)
