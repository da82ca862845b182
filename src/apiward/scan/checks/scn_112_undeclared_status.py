"""SCN-112 undeclared-status."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check
from apiward.spec import ApiOperation

#: Statuses any API may answer without declaring them (auth, throttling, size limits, method, not found).
_GENERIC = frozenset({401, 403, 404, 405, 406, 413, 415, 429, 502, 503, 504})


def declared(op: ApiOperation, status: int) -> bool:
    keys = set(op.responses)
    return not keys or str(status) in keys or f"{str(status)[0]}XX" in keys or "default" in keys


@check(
    id="SCN-112",
    name="undeclared-status",
    title="Response status not declared",
    owasp=OwaspApi2023.API8,
    cwe=1287,
    severity=Severity.INFO,
    confidence=Confidence.HIGH,
    remediation="Declare every status the operation can answer (or a 'default' response).",
    category="reliability",
    wfc="200",
)
async def undeclared_status(ctx: ScanContext) -> None:
    """The operation answered a status its description does not declare (no exact code, ``NXX`` or
    ``default``).

    Judged on the baseline and negative-variant requests of the scan, not on deliberately hostile probes;
    401/403/404/405/406/413/415/429 and gateway errors are not reported.
    """
    seen: set[tuple[str, int]] = set()
    for op, ex, phase in list(ctx.log):
        if op is None or phase == "check" or ex.status in _GENERIC or declared(op, ex.status):
            continue
        if ex.method != op.method or (op.ref.key, ex.status) in seen:
            continue
        seen.add((op.ref.key, ex.status))
        ctx.report(
            undeclared_status.meta,
            operation=op,
            location=f"status:{ex.status}",
            message=f"{op.ref.key} answered {ex.status}, which it does not declare",
            proof=ex,
        )
