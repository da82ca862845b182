"""AUD-017: secured operation does not document 403."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-017",
    title="Secured operation does not document 403",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API5,
    cwe=1059,
    rationale="An operation that never answers 403 suggests it authenticates callers but does not authorise "
    "them per object or function.",
    fix="Add a `403` response to secured operations and enforce authorisation in the implementation.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for operations that require authentication but define neither ``403``, ``4XX`` nor ``default``.

    Does not fire for public operations or when one of those responses is present.
    """
    for op in model.operations:
        if op.requires_auth and not ({"403", "4XX", "default"} & set(op.responses)):
            yield Hit(operation=op, pointer=op.pointer, message="no 403 (or 4XX/default) response documented")
