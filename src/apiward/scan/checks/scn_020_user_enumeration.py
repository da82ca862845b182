"""SCN-020 user-enumeration."""

from __future__ import annotations

import secrets

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check
from apiward.scan.checks._login import login_target


def _shape(ex: Exchange, username: str) -> tuple[int, str]:
    return ex.status, ex.text.replace(username, "<user>")


@check(
    id="SCN-020",
    name="user-enumeration",
    title="Login reveals whether an account exists",
    owasp=OwaspApi2023.API2,
    cwe=204,
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    remediation="Answer every failed login with the same status and message, whatever failed.",
    category="authentication",
)
async def user_enumeration(ctx: ScanContext) -> None:
    """Login answers differently for an unknown user and for a known user with a wrong password.

    The known user is an account the scanner registered itself when the API allows it (so no scanning
    identity collects failed logins); otherwise the configured ``login.known_user``. Two unknown names
    must answer alike (control) and both must differ from the known one.
    """
    target = login_target(ctx)
    if target is None:
        ctx.not_run(user_enumeration.meta, "needs a login operation (login: in the config, or a login recipe)")
        return
    throwaway = await ctx.throwaway(fresh=True)
    known = throwaway.credentials[0] if throwaway is not None and throwaway.credentials else None
    if known is None:
        known = ctx.config.login.known_user if ctx.config.login else None
    if known is None:
        ctx.not_run(user_enumeration.meta, "needs a throwaway account recipe or login.known_user")
        return
    ghost1, ghost2 = f"apiward-ghost-{secrets.token_hex(4)}", f"apiward-ghost-{secrets.token_hex(4)}"
    a = await target.attempt(ctx, ghost1)
    b = await target.attempt(ctx, ghost2)
    if a.ok or _shape(a, ghost1) != _shape(b, ghost2) or a.status == 429:
        return
    known_ex = await target.attempt(ctx, known)
    if known_ex.ok or known_ex.status == 429 or _shape(known_ex, known) == _shape(a, ghost1):
        return
    ctx.report(
        user_enumeration.meta,
        operation=ctx.model.operation(f"POST {target.url}"),
        location=f"body:{target.user_field}",
        message=f"unknown user → {a.status}, known user with a wrong password → {known_ex.status} (different answers)",
        proof=known_ex,
        control=a,
    )
