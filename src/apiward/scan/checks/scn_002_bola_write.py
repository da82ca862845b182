"""SCN-002 bola-write."""

from __future__ import annotations

import secrets
from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._plan import collection_of
from apiward.scan._request import Exchange
from apiward.scan.checks._authz import fresh_resource, read_back, with_id
from apiward.scan.checks._base import check


def _mark(body: Any, marker: str) -> tuple[Any, str] | None:
    """The body with its first plain string field set to ``marker`` and the field name, or ``None``."""
    if not isinstance(body, dict):
        return None
    for key, value in body.items():
        if isinstance(value, str) and "id" not in key.lower() and "@" not in value and "://" not in value:
            return {**body, key: marker}, key
    return None


@check(
    id="SCN-002",
    name="bola-write",
    title="Broken object level authorisation: another user's object can be changed",
    owasp=OwaspApi2023.API1,
    cwe=639,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Authorise every write against the object's owner, not only the caller's login.",
    category="authorization",
)
async def bola_write(ctx: ScanContext) -> None:
    """A second user changes an object that belongs to the first one.

    For each ``PUT``/``PATCH`` operation on an item, the scanner creates a fresh object as ``user``,
    sends the update as ``user2`` with a unique marker in a text field and reads the object back **as the
    owner**. It reports only when the owner's copy now carries the marker — the change was persisted —
    and the same happens again on a second fresh object.
    """
    owner, attacker = ctx.user, ctx.role("user2")
    if owner is None or attacker is None:
        ctx.not_run(bola_write.meta, "needs identities of roles user and user2")
        return
    samples = [s for s in ctx.samples.values() if s.op.method in ("PUT", "PATCH") and s.resource is None]

    async def one(sample: Sample) -> None:
        coll = collection_of(sample.op.path)

        async def probe() -> Exchange | None:
            res = await fresh_resource(ctx, coll, owner)
            marker = f"apiward-bola-{secrets.token_hex(4)}"
            marked = _mark(sample.spec.json, marker)
            if res is None or marked is None:
                return None
            spec = with_id(sample.spec, res.id).replace(json=marked[0])
            ex = await ctx.send(spec, attacker)
            if not ex.ok:
                return None
            back = await read_back(ctx, coll, res.id, owner)
            return ex if back is not None and back.ok and marker in back.text else None

        proof = await ctx.confirm(probe)
        if proof is not None:
            ctx.report(
                bola_write.meta,
                operation=sample.op,
                location="path",
                message=f"{attacker.name} changed an object owned by {owner.name}; the owner's read-back shows it",
                proof=proof,
                extra={"owner": owner.name, "attacker": attacker.name},
            )

    await ctx.gather(one(s) for s in samples)
