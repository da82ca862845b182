"""Driving injection checks: every string-like point of every successful sample, a few payloads each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from apiward.scan._context import Sample, ScanContext
from apiward.scan.checks._base import CheckMeta
from apiward.scan.checks._util import Point, injection_points

__all__ = ["Oracle", "each_point"]

#: ``oracle(sample, point)`` returns ``(proof, message, details)`` when the flaw is confirmed, else ``None``.
Oracle = Callable[[Sample, Point], Awaitable[tuple[object, str, dict[str, object]] | None]]


async def each_point(ctx: ScanContext, meta: CheckMeta, oracle: Oracle, *, max_points: int = 400) -> None:
    """Run ``oracle`` on every injection point (bounded); report at most one finding per operation+point."""
    jobs = [(s, p) for s in ctx.samples.values() for p in injection_points(s)][:max_points]

    async def one(sample: Sample, point: Point) -> None:
        found = await oracle(sample, point)
        if found is None:
            return
        proof, message, details = found
        from apiward.scan._request import Exchange

        ctx.report(
            meta,
            operation=sample.op,
            location=point.label,
            message=message,
            proof=proof if isinstance(proof, Exchange) else None,
            extra=details,
        )

    await ctx.gather(one(s, p) for s, p in jobs)
