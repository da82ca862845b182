"""AUD-020: request number without minimum/maximum."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import request_places, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

_LOW = ("minimum", "exclusiveMinimum")
_HIGH = ("maximum", "exclusiveMaximum")


def _bound(schema: Mapping[str, Any], key: str) -> bool:
    """A numeric bound; OpenAPI 3.0's boolean ``exclusiveMinimum: true`` alone bounds nothing."""
    value = schema.get(key)
    return isinstance(value, int | float) and not isinstance(value, bool)


@rule(
    id="AUD-020",
    title="Unbounded number in request",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API4,
    cwe=1284,
    rationale="Numbers without bounds allow negative quantities, huge page sizes and overflow values that "
    "break business logic or exhaust resources.",
    fix="Give every request integer and number a `minimum` and a `maximum` (or an `enum`).",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each integer or number in a request parameter or body that lacks a lower or an upper bound
    (and has no ``enum``/``const``).

    Does not fire when both bounds are present.
    """
    for place in request_places(model):
        s = place.node.schema
        if not ({"integer", "number"} & schema_types(s)) or {"enum", "const"} & set(s):
            continue
        bounds = (("minimum", _LOW), ("maximum", _HIGH))
        missing = [name for name, keys in bounds if not any(_bound(s, k) for k in keys)]
        if missing:
            yield place.hit(f"number has no {' and no '.join(missing)}")
