"""AUD-001: operation without security."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-001",
    title="Operation has no security",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API2,
    cwe=306,
    rationale="Without a security requirement anyone who can reach the API can call the operation.",
    fix="Add a security requirement to the operation or a global `security` default; if the operation is "
    "public on purpose, say so with `security: []`.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for every operation that ends up with no security requirement at all — neither its own nor a
    global default — and did not opt out explicitly with ``security: []``.

    Does not fire for operations that declare ``security: []`` (public on purpose; see AUD-003 for public
    write operations) or that allow anonymous access as one alternative (see AUD-004).
    """
    for op in model.operations:
        if not op.security and not op.security_declared:
            yield Hit(operation=op, pointer=op.pointer, message="no security requirement applies")
