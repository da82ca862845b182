"""SCN-103 path-traversal."""

from __future__ import annotations

import re

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan.checks._base import check
from apiward.scan.checks._inject import each_point
from apiward.scan.checks._util import Point

_PASSWD = re.compile(r"root:[x*]?:0:0:")
_PAYLOADS = (
    "../../../../../../../../etc/passwd",
    "..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "....//....//....//....//....//....//etc/passwd",
    "/etc/passwd",
    "..\\..\\..\\..\\..\\..\\etc\\passwd",
)


@check(
    id="SCN-103",
    name="path-traversal",
    title="Path traversal",
    owasp=OwaspApi2023.API8,
    cwe=22,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Map requests to files through an allow-list or ids; canonicalise and confine paths to a base "
    "directory.",
    category="injection",
)
async def path_traversal(ctx: ScanContext) -> None:
    """A file-name or path value escapes its directory: ``../../../../etc/passwd`` (plain, encoded,
    doubled, absolute, backslashed) returns the file's **known content** (``root:x:0:0:``), which the
    baseline answer does not contain. Re-sent once to confirm.
    """

    async def oracle(sample: Sample, point: Point) -> tuple[object, str, dict[str, object]] | None:
        if _PASSWD.search(sample.exchange.text):
            return None
        for payload in _PAYLOADS:
            ex = await ctx.send(point.inject(sample, payload), ctx.user)
            if not _PASSWD.search(ex.text):
                continue
            again = await ctx.send(point.inject(sample, payload), ctx.user)
            if _PASSWD.search(again.text):
                return again, f"{point.label}: {payload!r} returned /etc/passwd", {"payload": payload}
        return None

    await each_point(ctx, path_traversal.meta, oracle)
