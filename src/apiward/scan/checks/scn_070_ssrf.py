"""SCN-070 ssrf."""

from __future__ import annotations

import asyncio
import re

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check
from apiward.scan.checks._util import Point, injection_points

_EMPTY = Exchange(
    method="", url="", request_headers=(), request_body=b"", status=0, headers=(), body=b"", elapsed_ms=0.0
)
_URLISH = re.compile(
    r"(?i)(url|uri|href|link|callback|webhook|hook|image|avatar|feed|endpoint|redirect|target|src|site)"
)


def _url_points(sample: Sample) -> list[Point]:
    out = []
    for point in injection_points(sample):
        if _URLISH.search(point.name) or point.original.startswith(("http://", "https://")):
            out.append(point)
    return out


@check(
    id="SCN-070",
    name="ssrf",
    title="Server-side request forgery (out-of-band proof)",
    owasp=OwaspApi2023.API7,
    cwe=918,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    remediation="Fetch only allow-listed destinations; resolve and block private, loopback and link-local "
    "addresses; disable redirects.",
    category="ssrf",
)
async def ssrf(ctx: ScanContext) -> None:
    """A URL-like parameter makes the server itself request a URL the scanner chose.

    The scanner runs a callback listener on loopback and puts a unique URL to it in every URL-like field
    (``format: uri`` values, names such as ``url``, ``callback``, ``webhook``, ``image_url``). Proof is
    out-of-band: the listener receives a request carrying that probe's unique token — twice, with two tokens.
    """
    oob = ctx.oob
    if oob is None:
        return
    wait = float(ctx.option("oob_wait_s", 1.5))
    samples = list(ctx.samples.values())
    for op in ctx.operations():  # operations that refused example URLs are the interesting ones
        if op.ref.key not in ctx.samples and op.method in ("GET", "POST", "PUT", "PATCH"):
            spec = ctx.build(op, ctx.user)
            if spec is not None:
                samples.append(Sample(op=op, spec=spec, exchange=_EMPTY))
    jobs = [(s, p) for s in samples for p in _url_points(s)]

    async def one(sample: Sample, point: Point) -> None:
        async def probe() -> Exchange | None:
            token = oob.new_token()
            ex = await ctx.send(point.inject(sample, oob.url(token)), ctx.user)
            for _ in range(int(wait / 0.1)):
                if oob.was_hit(token):
                    return ex
                await asyncio.sleep(0.1)
            return None

        proof = await ctx.confirm(probe)
        if proof is not None:
            ctx.report(
                ssrf.meta,
                operation=sample.op,
                location=point.label,
                message=f"{point.label}: the server requested the scanner's callback URL",
                proof=proof,
                extra={"callback": "loopback listener received the probe token"},
            )

    await ctx.gather(one(s, p) for s, p in jobs)
