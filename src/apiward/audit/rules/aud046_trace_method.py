"""AUD-046: TRACE operation exposed."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-046",
    title="TRACE method exposed",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API8,
    cwe=693,
    rationale="TRACE echoes the request back, including cookies and Authorization headers; combined with "
    "another flaw it lets scripts read credentials they should never see (cross-site tracing).",
    fix="Remove TRACE operations and disable the method on servers and gateways.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for every operation with the ``TRACE`` method.

    Does not fire for other methods.
    """
    for op in model.operations:
        if op.method == "TRACE":
            yield Hit(operation=op, pointer=op.pointer, message="TRACE echoes requests, credentials included")
