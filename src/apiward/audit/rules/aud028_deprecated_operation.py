"""AUD-028: deprecated operation still present."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-028",
    title="Deprecated operation still present",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API9,
    cwe=477,
    rationale="Deprecated operations stay reachable long after clients moved on and rarely get the same "
    "care as current ones.",
    fix="Remove deprecated operations once their sunset date passes; until then monitor and protect them.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each operation marked ``deprecated: true``.

    Does not fire for current operations.
    """
    for op in model.operations:
        if op.deprecated:
            yield Hit(operation=op, pointer=op.pointer, message="deprecated operation is still served")
