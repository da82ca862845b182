"""AUD-016: secured operation does not document 401."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-016",
    title="Secured operation does not document 401",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API8,
    cwe=1059,
    rationale="A secured operation that does not define its 401 answer leaves clients and servers to improvise "
    "on authentication failures, and testers without a contract to check them against.",
    fix="Add a `401` response (with an error schema) to every secured operation, or a `4XX`/`default` one.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for operations that require authentication but define neither ``401``, ``4XX`` nor ``default``.

    Does not fire for public operations or when one of those responses is present.
    """
    for op in model.operations:
        if op.requires_auth and not ({"401", "4XX", "default"} & set(op.responses)):
            yield Hit(operation=op, pointer=op.pointer, message="no 401 (or 4XX/default) response documented")
