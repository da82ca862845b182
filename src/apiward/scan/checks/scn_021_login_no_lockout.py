"""SCN-021 login-no-lockout."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check
from apiward.scan.checks._login import login_target

_ATTEMPTS = 15


@check(
    id="SCN-021",
    name="login-no-lockout",
    title="Login has no lockout or throttling",
    owasp=OwaspApi2023.API2,
    cwe=307,
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    remediation="Throttle failed logins per account and per client (429 with Retry-After), with alerting.",
    category="authentication",
)
async def login_no_lockout(ctx: ScanContext) -> None:
    """Fifteen wrong passwords in a row are neither throttled (429) nor locked (423), and the right password
    still works right after.

    Runs only against an account the scanner registered itself, never a scanning identity, so a lockout
    cannot stop the scan; without a registration recipe the check is reported as not run.
    """
    target = login_target(ctx)
    throwaway = await ctx.throwaway(fresh=True)
    if target is None or throwaway is None or not throwaway.credentials:
        ctx.not_run(login_no_lockout.meta, "needs a login operation and a throwaway account recipe")
        return
    name, password = throwaway.credentials
    last = None
    for _ in range(_ATTEMPTS):
        last = await target.attempt(ctx, name)
        if last.status in (423, 429) or last.ok:
            return
    good = await target.attempt(ctx, name, password)
    if not good.ok or last is None:
        return
    ctx.report(
        login_no_lockout.meta,
        operation=ctx.model.operation(f"POST {target.url}"),
        location=f"body:{target.password_field}",
        message=f"{_ATTEMPTS} failed logins were answered {last.status} without throttling; the right password "
        "still worked",
        proof=last,
        extra={"attempts": _ATTEMPTS},
    )
