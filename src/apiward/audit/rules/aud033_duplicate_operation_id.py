"""AUD-033: duplicate operationId."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel, ApiOperation


@rule(
    id="AUD-033",
    title="Duplicate operationId",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API9,
    cwe=694,
    rationale="Policies, permissions and routes keyed by `operationId` apply to the wrong operation when two "
    "share an id — an authorisation rule meant for one may guard (or skip) the other.",
    fix="Make every `operationId` unique.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each operation whose ``operationId`` another operation also uses.

    Does not fire when ids are unique.
    """
    by_id: dict[str, list[ApiOperation]] = defaultdict(list)
    for op in model.operations:
        if op.operation_id:
            by_id[op.operation_id].append(op)
    for op_id, ops in by_id.items():
        if len(ops) > 1:
            others = ", ".join(f"{o.method} {o.path}" for o in ops)
            for op in ops:
                yield Hit(operation=op, pointer=op.pointer, message=f"operationId {op_id!r} is shared by {others}")
