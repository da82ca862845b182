"""SCN-083 version-disclosure."""

from __future__ import annotations

import re

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check

_HEADERS = (
    "server",
    "x-powered-by",
    "x-aspnet-version",
    "x-aspnetmvc-version",
    "x-generator",
    "x-runtime-version",
    "x-version",
    "x-backend-server",
)
_VERSION = re.compile(r"\d+\.\d+")


@check(
    id="SCN-083",
    name="version-disclosure",
    title="Software version disclosed in headers",
    owasp=OwaspApi2023.API8,
    cwe=200,
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    remediation="Remove or genericise Server / X-Powered-By headers; do not advertise product versions.",
    category="misconfiguration",
)
async def version_disclosure(ctx: ScanContext) -> None:
    """A ``Server``, ``X-Powered-By``, ``X-AspNet-Version`` (…) header names a product **with a version
    number** (``Starlette/0.37.2``, ``PHP/8.1.2``), which tells attackers which published vulnerabilities
    apply. A bare product name without a version is not reported.
    """
    for op, ex, _phase in list(ctx.log):
        for name in _HEADERS:
            value = ex.header(name)
            if value and _VERSION.search(value) and ex.spec is not None:
                again = await ctx.send(ex.spec, ctx.user)
                if not _VERSION.search(again.header(name) or ""):
                    continue
                ctx.report(
                    version_disclosure.meta,
                    operation=op,
                    location=f"header:{name}",
                    message=f"{name}: {value}",
                    proof=again,
                )
                return
