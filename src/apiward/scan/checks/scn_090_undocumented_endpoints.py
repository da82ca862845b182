"""SCN-090 undocumented-endpoints."""

from __future__ import annotations

import re
import secrets

from apiward.core import Confidence, Operation, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._request import Exchange, RequestSpec
from apiward.scan.checks._base import check
from apiward.scan.checks._util import similarity

_PROBES = (
    "/debug",
    "/debug/vars",
    "/debug/pprof",
    "/admin",
    "/console",
    "/actuator",
    "/actuator/env",
    "/actuator/health",
    "/actuator/heapdump",
    "/.env",
    "/env",
    "/config",
    "/server-status",
    "/metrics",
    "/trace",
    "/phpinfo.php",
    "/internal",
    "/graphql",
    "/swagger-ui.html",
    "/api/internal",
    "/_debug",
    "/status",
)
_VERSION = re.compile(r"/v(\d+)(?=/|$)")


def _candidates(ctx: ScanContext) -> list[str]:
    out = list(_PROBES)
    for sample in ctx.samples.values():
        if sample.op.method != "GET":
            continue
        m = _VERSION.search(sample.spec.path)
        if m and int(m.group(1)) > 0:
            for older in range(int(m.group(1)) - 1, -1, -1):
                out.append(sample.spec.path[: m.start()] + f"/v{older}" + sample.spec.path[m.end() :])
    return list(dict.fromkeys(out))


@check(
    id="SCN-090",
    name="undocumented-endpoints",
    title="Undocumented endpoint served",
    owasp=OwaspApi2023.API9,
    cwe=1059,
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    remediation="Remove debug/admin/old-version routes from production or document and protect them.",
    category="inventory",
    wfc="310",
)
async def undocumented_endpoints(ctx: ScanContext) -> None:
    """A path the description does not document answers 2xx: debug and admin consoles, Spring actuators,
    ``.env`` files, status pages, or older API versions beside the documented ones (``/v1/...`` when
    ``/v2/...`` is documented).

    Each probe is compared with a random not-found control so that catch-all routes and SPA fallbacks
    are not reported.
    """
    control = await ctx.send(RequestSpec(method="GET", path=f"/apiward-{secrets.token_hex(6)}"), ctx.user)
    docs = {"/openapi.json", "/openapi.yaml", "/docs", "/redoc", "/swagger.json"}

    async def one(path: str) -> tuple[str, Exchange] | None:
        if path in docs or ctx.model.match("GET", path) is not None:
            return None
        for _ in range(2):  # found, then confirmed
            ex = await ctx.send(RequestSpec(method="GET", path=path), ctx.user)
            if not ex.ok or not ex.body or (control.ok and similarity(ex.body, control.body) > 0.9):
                return None
        return path, ex

    for hit in await ctx.gather(one(p) for p in _candidates(ctx)):
        if hit is None:
            continue
        path, ex = hit
        ctx.report(
            undocumented_endpoints.meta,
            operation=Operation(method="GET", path=path),
            location=f"path:{path}",
            message=f"undocumented GET {path} answered {ex.status}",
            proof=ex,
            control=control,
        )
