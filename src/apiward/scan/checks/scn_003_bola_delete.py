"""SCN-003 bola-delete."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._plan import collection_of, is_item_path
from apiward.scan._request import Exchange, RequestSpec
from apiward.scan.checks._authz import fresh_resource, read_back, with_id
from apiward.scan.checks._base import check
from apiward.spec import ApiOperation


@check(
    id="SCN-003",
    name="bola-delete",
    title="Broken object level authorisation: another user's object can be deleted",
    owasp=OwaspApi2023.API1,
    cwe=639,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Authorise every delete against the object's owner.",
    category="authorization",
)
async def bola_delete(ctx: ScanContext) -> None:
    """A second user deletes an object that belongs to the first one.

    For each ``DELETE`` on an item, the scanner creates a fresh object as ``user``, checks that the owner
    can read it, sends the ``DELETE`` as ``user2`` and reads it again as the owner. It reports when the
    delete answered 2xx **and** the owner now gets 404/410 — twice, on two fresh objects.
    """
    owner, attacker = ctx.user, ctx.role("user2")
    if owner is None or attacker is None:
        ctx.not_run(bola_delete.meta, "needs identities of roles user and user2")
        return
    ops = [op for op in ctx.operations() if op.method == "DELETE" and is_item_path(op.path)]

    async def one(op: ApiOperation) -> None:
        coll = collection_of(op.path)
        reader = None

        async def probe() -> Exchange | None:
            nonlocal reader
            res = await fresh_resource(ctx, coll, owner)
            if res is None:
                return None
            before = await read_back(ctx, coll, res.id, owner)
            if before is None or not before.ok or before.spec is None:
                return None
            reader = before
            spec = RequestSpec(method="DELETE", path=with_id(before.spec, res.id).path, operation=op)
            ex = await ctx.send(spec, attacker)
            if not ex.ok:
                return None
            after = await read_back(ctx, coll, res.id, owner)
            return ex if after is not None and after.status in (404, 410) else None

        proof = await ctx.confirm(probe)
        if proof is not None:
            ctx.report(
                bola_delete.meta,
                operation=op,
                location="path",
                message=f"{attacker.name} deleted an object owned by {owner.name}",
                proof=proof,
                control=reader,
                extra={"owner": owner.name, "attacker": attacker.name},
            )

    await ctx.gather(one(op) for op in ops)
