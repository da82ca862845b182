"""SCN-081 missing-security-headers."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check


def _missing(ex: Exchange) -> list[str]:
    out = []
    if (ex.header("x-content-type-options") or "").lower() != "nosniff":
        out.append("X-Content-Type-Options: nosniff")
    authenticated = any(k.lower() in ("authorization", "cookie") for k, _ in ex.request_headers)
    if authenticated and "no-store" not in (ex.header("cache-control") or "").lower():
        out.append("Cache-Control: no-store")
    if ex.url.startswith("https://") and ex.header("strict-transport-security") is None:
        out.append("Strict-Transport-Security")
    return out


@check(
    id="SCN-081",
    name="missing-security-headers",
    title="Security headers missing",
    owasp=OwaspApi2023.API8,
    cwe=693,
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    remediation="Send X-Content-Type-Options: nosniff on every response, Cache-Control: no-store on "
    "authenticated ones, HSTS over HTTPS.",
    category="misconfiguration",
)
async def missing_security_headers(ctx: ScanContext) -> None:
    """Successful responses lack the headers the OWASP REST Security Cheat Sheet asks of an API:
    ``X-Content-Type-Options: nosniff`` everywhere, ``Cache-Control: no-store`` on authenticated responses,
    ``Strict-Transport-Security`` over HTTPS.

    One finding per API, listing which headers are missing and on how many of the scanned responses.
    """
    counts: dict[str, int] = {}
    first: Exchange | None = None
    op = None
    total = 0
    for o, ex, _phase in ctx.log:
        if not ex.ok:
            continue
        total += 1
        missing = _missing(ex)
        for name in missing:
            counts[name] = counts.get(name, 0) + 1
        if missing and first is None:
            first, op = ex, o
    if first is None or not first.spec:
        return
    again = await ctx.send(first.spec, ctx.user)
    if not _missing(again):
        return
    ctx.report(
        missing_security_headers.meta,
        operation=op,
        location="headers",
        message="missing on successful responses: "
        + ", ".join(f"{k} ({v}/{total})" for k, v in sorted(counts.items())),
        proof=again,
        extra={"missing": counts, "responses": total},
    )
