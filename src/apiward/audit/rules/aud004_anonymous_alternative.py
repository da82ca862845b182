"""AUD-004: anonymous access allowed as an alternative."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-004",
    title="Authentication is optional",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API2,
    cwe=287,
    rationale="An empty requirement `{}` among the alternatives makes authentication optional; servers "
    "built from the description often accept anonymous calls as a result.",
    fix="Remove the empty `{}` alternative, or split the operation into a public and an authenticated one.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for operations whose security alternatives include the empty requirement ``{}`` next to a
    real one (``security: [{}, {bearer: []}]``).

    Does not fire when every alternative names a scheme, nor for operations with no security at all
    (AUD-001).
    """
    for op in model.operations:
        if any(op.security) and not all(op.security):
            yield Hit(operation=op, pointer=op.pointer, message="empty alternative {} allows anonymous calls")
