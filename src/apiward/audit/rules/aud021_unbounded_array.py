"""AUD-021: request array without maxItems."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import request_places, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-021",
    title="Unbounded array in request",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API4,
    cwe=770,
    rationale="Arrays without `maxItems` let one request carry millions of items — batch abuse, memory "
    "exhaustion and very slow processing.",
    fix="Give every request array a `maxItems`.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each array in a request parameter or body without ``maxItems``.

    Does not fire when ``maxItems`` is present.
    """
    for place in request_places(model):
        if "array" in schema_types(place.node.schema) and "maxItems" not in place.node.schema:
            yield place.hit("array has no maxItems")
