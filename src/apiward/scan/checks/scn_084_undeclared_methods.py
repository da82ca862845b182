"""SCN-084 undeclared-methods."""

from __future__ import annotations

from apiward.core import Confidence, Operation, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import RequestSpec
from apiward.scan.checks._base import check


@check(
    id="SCN-084",
    name="undeclared-methods",
    title="TRACE or undeclared HTTP methods served",
    owasp=OwaspApi2023.API8,
    cwe=650,
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    remediation="Answer 405 to methods a route does not declare; disable TRACE.",
    category="misconfiguration",
    wfc="310",
)
async def undeclared_methods(ctx: ScanContext) -> None:
    """``TRACE`` is answered 2xx (echoing the request, including credentials), or a method the description
    does not declare for a path answers 2xx.

    Undeclared ``DELETE``/``PUT``/``PATCH`` are only tried on objects the scanner created itself (identity
    safety); ``TRACE`` and ``OPTIONS``-free probes use the first few successful paths.
    """
    paths: dict[str, Sample] = {}
    for s in ctx.samples.values():
        if s.op.method == "GET":
            paths.setdefault(s.spec.path, s)
    owned = {r.id for r in ctx.store.resources}
    for concrete, sample in list(paths.items())[:10]:
        ex = await ctx.send(RequestSpec(method="TRACE", path=concrete, operation=sample.op), ctx.user)
        if ex.ok and "TRACE" in ex.text.upper():
            again = await ctx.send(RequestSpec(method="TRACE", path=concrete, operation=sample.op), ctx.user)
            if again.ok:
                ctx.report(
                    undeclared_methods.meta,
                    operation=Operation(method="TRACE", path=sample.op.path),
                    location="method:TRACE",
                    message=f"TRACE {concrete} answered {again.status} and echoed the request",
                    proof=again,
                )
                break
    for concrete, sample in paths.items():
        if concrete.rsplit("/", 1)[-1] not in owned:
            continue
        declared = set(ctx.model.methods_for(sample.op.path))
        for method in ("DELETE", "PUT", "PATCH"):
            if method in declared:
                continue
            spec = RequestSpec(method=method, path=concrete, json={} if method != "DELETE" else None)
            if method == "DELETE":
                spec = RequestSpec(method=method, path=concrete)
            ex = await ctx.send(spec, ctx.user)
            if ex.ok:
                ctx.report(
                    undeclared_methods.meta,
                    operation=Operation(method=method, path=sample.op.path),
                    location=f"method:{method}",
                    message=f"{method} {concrete} is not declared but answered {ex.status}",
                    proof=ex,
                )
                return
