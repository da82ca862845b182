"""SCN-102 command-injection."""

from __future__ import annotations

import secrets

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan.checks._base import check
from apiward.scan.checks._inject import each_point
from apiward.scan.checks._util import Point

_SEPARATORS = (";", "|", "&&", "\n", "$(", "`")


def _payload(sep: str, a: int, b: int) -> tuple[str, str]:
    """A command whose output (``aw<a*b>x``) never appears in the payload itself."""
    cmd = f"echo aw$(({a}*{b}))x"
    expected = f"aw{a * b}x"
    if sep == "$(":
        return f"$({cmd})", expected
    if sep == "`":
        return f"`{cmd}`", expected
    return f"{sep}{cmd}", expected


@check(
    id="SCN-102",
    name="command-injection",
    title="OS command injection",
    owasp=OwaspApi2023.API8,
    cwe=78,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Never pass request values to a shell; call programs with argument lists and allow-listed values.",
    category="injection",
)
async def command_injection(ctx: ScanContext) -> None:
    """A request value reaches a shell. Proven with an **echo oracle**: the payload ``;echo aw$((a*b))x``
    asks the shell to compute a product, so the answer contains ``aw<product>x`` only if a shell ran it
    (the text is not in the request). Re-confirmed with a second pair of random factors.
    """

    async def oracle(sample: Sample, point: Point) -> tuple[object, str, dict[str, object]] | None:
        for sep in _SEPARATORS:
            a, b = 1000 + secrets.randbelow(8000), 3 + secrets.randbelow(90)
            payload, expected = _payload(sep, a, b)
            ex = await ctx.send(point.inject(sample, point.original + payload), ctx.user)
            if expected not in ex.text:
                continue
            a, b = 1000 + secrets.randbelow(8000), 3 + secrets.randbelow(90)
            payload, expected = _payload(sep, a, b)
            again = await ctx.send(point.inject(sample, point.original + payload), ctx.user)
            if expected in again.text:
                return (
                    again,
                    f"{point.label}: shell evaluated an injected command (separator {sep!r})",
                    {"separator": sep, "oracle": "echo"},
                )
        return None

    await each_point(ctx, command_injection.meta, oracle)
