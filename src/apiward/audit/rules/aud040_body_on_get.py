"""AUD-040: request body on GET, HEAD or DELETE."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-040",
    title="Request body on GET, HEAD or DELETE",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API8,
    cwe=436,
    rationale="RFC 9110 gives a body on GET, HEAD or DELETE no meaning; proxies, caches, gateways and WAFs "
    "may drop or ignore it, so what one component inspects is not what another executes.",
    fix="Move the data to query parameters, or use POST for the operation.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for GET, HEAD and DELETE operations that declare a request body.

    Does not fire for POST, PUT or PATCH bodies.
    """
    for op in model.operations:
        if op.method in ("GET", "HEAD", "DELETE") and op.request_body is not None:
            yield Hit(operation=op, location="body", pointer=op.pointer, message=f"{op.method} declares a request body")
