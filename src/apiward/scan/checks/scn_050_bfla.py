"""SCN-050 bfla."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._plan import self_sensitive
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check
from apiward.scan.checks._util import looks_admin
from apiward.spec import ApiOperation


@check(
    id="SCN-050",
    name="bfla",
    title="Broken function level authorisation: admin operation open to a lower-privilege user",
    owasp=OwaspApi2023.API5,
    cwe=285,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    remediation="Check the caller's role/permission on every administrative operation (deny by default).",
    category="authorization",
)
async def bfla(ctx: ScanContext) -> None:
    """A lower-privilege identity succeeds on an administrative operation.

    Administrative operations are recognised by tag, path, operationId or summary (``admin``, ``internal``,
    ``manage`` …) or by an ``admin`` OAuth scope. The request is first sent as ``admin`` (it must succeed),
    then as ``low`` (or ``user`` when no ``low`` identity is configured); reported when the lower identity
    gets 2xx too, twice. Operations that could change an account's password or role are not replayed.
    """
    admin, low = ctx.role("admin"), ctx.role("low")
    if admin is None or low is None or admin is low:
        ctx.not_run(bfla.meta, "needs an admin identity and a lower-privilege one (low or user)")
        return
    ops = [op for op in ctx.operations() if looks_admin(op) and self_sensitive(op) is None]

    async def one(op: ApiOperation) -> None:
        spec = ctx.build(op, admin)
        if spec is None or op.method not in ("GET", "HEAD", "POST", "PUT", "PATCH"):
            return
        baseline = await ctx.send(spec, admin)
        if not baseline.ok:
            return

        async def probe() -> Exchange | None:
            ex = await ctx.send(spec, low)
            return ex if ex.ok else None

        proof = await ctx.confirm(probe)
        if proof is not None:
            ctx.report(
                bfla.meta,
                operation=op,
                location="function",
                message=f"{low.name} (lower privilege) succeeded on administrative {op.ref.key}",
                proof=proof,
                control=baseline,
                extra={"admin": admin.name, "low": low.name},
            )

    await ctx.gather(one(op) for op in ops)
