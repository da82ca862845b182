"""SCN-110 server-error."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check


@check(
    id="SCN-110",
    name="server-error",
    title="Server error (5xx)",
    owasp=OwaspApi2023.API8,
    cwe=755,
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    remediation="Validate input and handle errors so that client mistakes answer 4xx, never 5xx.",
    category="reliability",
    wfc="100",
)
async def server_error(ctx: ScanContext) -> None:
    """A request (valid, or a negative variant such as a wrong type or malformed JSON) makes the server
    answer 500–599 (502–504 excluded: those are usually the proxy's, not the API's).

    A reliability finding, not a vulnerability claim: injection checks never rely on it. Re-sent once; one
    finding per operation.
    """
    seen: set[str] = set()
    for op, ex, _phase in list(ctx.log):
        if op is None or op.ref.key in seen or not 500 <= ex.status < 600 or ex.status in (502, 503, 504):
            continue
        if ex.spec is None:
            continue
        again = await ctx.send(ex.spec, ctx.user)
        if not 500 <= again.status < 600:
            continue
        seen.add(op.ref.key)
        ctx.report(
            server_error.meta,
            operation=op,
            location=f"status:{again.status}",
            message=f"{op.ref.key} answered {again.status}",
            proof=again,
        )
