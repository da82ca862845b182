"""SCN-001 bola-read."""

from __future__ import annotations

import re

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._authz import owner_markers
from apiward.scan.checks._base import check
from apiward.scan.checks._util import same_content


def _owned(ctx: ScanContext, sample: Sample, markers: set[str]) -> str | None:
    """Why the sample's data belongs to the user: a resource it created, or its own identifiers in the body."""
    user = ctx.user
    ids = {r.id for r in ctx.store.resources if user is not None and r.owner == user.name}
    target = sample.spec.path.split("/") + [v for _, v in sample.spec.query]
    if isinstance(sample.spec.json, dict):
        target += [str(v) for v in sample.spec.json.values()]
    hit = next((i for i in ids if i in target), None)
    if hit is not None:
        return f"resource {hit} created by the owner"
    body = sample.exchange.text
    mark = next((m for m in markers if m in body), None)
    return f"the owner's identifier {mark!r} in the body" if mark else None


_READ_POST = re.compile(r"(?i)/(query|search|lookup|find|filter|get|fetch|export)(/|$)")


def _reads(sample: Sample) -> bool:
    """Reads that name an object: GET with a path/query id, or a query-style POST with ids in the body."""
    op, spec = sample.op, sample.spec
    if op.method in ("GET", "HEAD"):
        return "{" in op.path or bool(spec.query)
    return op.method == "POST" and bool(_READ_POST.search(op.path)) and isinstance(spec.json, dict)


def _where(sample: Sample) -> str:
    if "{" in sample.op.path:
        return "path"
    return "query" if sample.op.method in ("GET", "HEAD") else "body"


@check(
    id="SCN-001",
    name="bola-read",
    title="Broken object level authorisation: another user's object can be read",
    owasp=OwaspApi2023.API1,
    cwe=639,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    remediation="Check on every request that the caller owns (or may see) the object the id names.",
    category="authorization",
)
async def bola_read(ctx: ScanContext) -> None:
    """A second user of the same role reads an object that belongs to the first one.

    For every read that answered 2xx to the first user (``user``) with an id in the path, the query or the
    body of a query-style ``POST`` (``/search``, ``/lookup``, ``/query`` …) that names the user's own
    data — an object the scanner created as that user, or a body carrying the user's identifiers — the
    scanner repeats the request as ``user2``. It reports when ``user2`` receives the same content as the
    owner, twice, while an anonymous control is refused (so the object is not simply public).
    """
    owner, attacker = ctx.user, ctx.role("user2")
    if owner is None or attacker is None:
        ctx.not_run(bola_read.meta, "needs identities of roles user and user2")
        return
    markers = owner_markers(ctx, owner)
    samples = [s for s in ctx.samples.values() if _reads(s)]

    async def one(sample: Sample) -> None:
        why = _owned(ctx, sample, markers)
        if why is None or not sample.exchange.body:
            return

        async def probe() -> Exchange | None:
            ex = await ctx.send(sample.spec, attacker)
            return ex if ex.ok and same_content(ex, sample.exchange) else None

        proof = await ctx.confirm(probe)
        if proof is None:
            return
        control = await ctx.send(sample.spec, None, refresh=False)
        if control.ok and same_content(control, sample.exchange):
            return
        ctx.report(
            bola_read.meta,
            operation=sample.op,
            location=_where(sample),
            message=f"{attacker.name} read {owner.name}'s data ({why}) at {sample.spec.path}",
            proof=proof,
            control=control,
            extra={"owner": owner.name, "attacker": attacker.name, "why_owned": why},
        )

    await ctx.gather(one(s) for s in samples)
