"""SCN-113 delete-not-effective."""

from __future__ import annotations

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan._plan import collection_of, is_item_path
from apiward.scan._request import Exchange, RequestSpec
from apiward.scan.checks._authz import fresh_resource, read_back, with_id
from apiward.scan.checks._base import check
from apiward.spec import ApiOperation


@check(
    id="SCN-113",
    name="delete-not-effective",
    title="Resource still served after DELETE",
    owasp=OwaspApi2023.API8,
    cwe=672,
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    remediation="Make DELETE remove (or tombstone and hide) the resource for every reader.",
    category="reliability",
    wfc="113",
)
async def delete_not_effective(ctx: ScanContext) -> None:
    """``DELETE`` answers 2xx but the same resource is still served by its ``GET`` afterwards.

    Done on fresh objects the scanner creates for the purpose (twice), as their owner.
    """
    user = ctx.user
    ops = [op for op in ctx.operations() if op.method == "DELETE" and is_item_path(op.path)]

    async def one(op: ApiOperation) -> None:
        coll = collection_of(op.path)

        async def probe() -> Exchange | None:
            res = await fresh_resource(ctx, coll, user)
            if res is None:
                return None
            before = await read_back(ctx, coll, res.id, user)
            if before is None or not before.ok or before.spec is None:
                return None
            deleted = await ctx.send(
                RequestSpec(method="DELETE", path=with_id(before.spec, res.id).path, operation=op), user
            )
            if not deleted.ok:
                return None
            after = await read_back(ctx, coll, res.id, user)
            return after if after is not None and after.ok else None

        proof = await ctx.confirm(probe)
        if proof is not None:
            ctx.report(
                delete_not_effective.meta,
                operation=op,
                location="path",
                message=f"after a successful {op.ref.key} the resource is still served",
                proof=proof,
            )

    await ctx.gather(one(op) for op in ops)
