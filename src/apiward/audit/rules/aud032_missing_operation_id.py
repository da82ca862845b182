"""AUD-032: operation without operationId."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-032",
    title="Missing operationId",
    severity=Severity.INFO,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API9,
    cwe=1059,
    rationale="Without a stable `operationId`, gateways, policies, monitoring and generated clients cannot "
    "refer to the operation reliably; renaming a path silently breaks them.",
    fix="Give every operation a unique, stable `operationId`.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each operation without an ``operationId``.

    Does not fire when the operation has one.
    """
    for op in model.operations:
        if not op.operation_id:
            yield Hit(operation=op, pointer=op.pointer, message="operation has no operationId")
