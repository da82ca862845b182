"""SCN-042 oversized-payload."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check

_SIZE = 1024 * 1024


@check(
    id="SCN-042",
    name="oversized-payload",
    title="Oversized request body accepted",
    owasp=OwaspApi2023.API4,
    cwe=770,
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    remediation="Cap request body size at the edge (413) and enforce maxLength on strings.",
    category="resource-consumption",
)
async def oversized_payload(ctx: ScanContext) -> None:
    """A JSON body with one string field grown to 1 MiB (beyond any ``maxLength``) answers 2xx.

    Tried on each create/update operation's first plain string field, as the scanning user; reported when
    two such requests are accepted.
    """
    size = ctx.option("oversized_bytes", _SIZE)
    samples = [
        s for s in ctx.samples.values() if s.op.method in ("POST", "PUT", "PATCH") and isinstance(s.spec.json, dict)
    ]

    async def one(sample: Sample) -> None:
        body = sample.spec.json if isinstance(sample.spec.json, dict) else {}
        field = next((k for k, v in body.items() if isinstance(v, str) and "pass" not in k.lower()), None)
        if field is None:
            return

        async def probe() -> Exchange | None:
            fresh = ctx.uniquify(sample.spec)
            fields = fresh.json if isinstance(fresh.json, dict) else body
            ex = await ctx.send(fresh.replace(json={**fields, field: "A" * size}), ctx.user)
            return ex if ex.ok else None

        proof = await ctx.confirm(probe)
        if proof is not None:
            ctx.report(
                oversized_payload.meta,
                operation=sample.op,
                location=f"body:/{field}",
                message=f"a {size // 1024} KiB value in {field!r} was accepted ({proof.status})",
                proof=proof,
                extra={"bytes": size},
            )

    await ctx.gather(one(s) for s in samples[:10])
