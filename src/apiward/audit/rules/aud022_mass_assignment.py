"""AUD-022: request object allows additional properties (mass assignment)."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import request_places, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-022",
    title="Request object accepts undeclared properties",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API3,
    cwe=915,
    rationale="Objects that accept undeclared properties let clients set fields the API never meant to "
    "expose (`isAdmin`, `ownerId`, `balance`) when the server binds the body to its model — mass "
    "assignment.",
    fix="Set `additionalProperties: false` (or `unevaluatedProperties: false` with composition) on request "
    "objects, and bind only declared fields on the server.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each object with declared ``properties`` in a request body whose ``additionalProperties``
    is absent or ``true`` (and no ``unevaluatedProperties: false``).

    Does not fire for closed objects, nor for free-form maps (``additionalProperties`` given a schema),
    nor for objects inside ``allOf`` compositions, whose parts cannot each be closed.
    """
    for place in request_places(model):
        s = place.node.schema
        if place.kind != "body" or "object" not in schema_types(s) or "properties" not in s or "allOf" in s:
            continue
        if s.get("additionalProperties", True) is True and s.get("unevaluatedProperties", True) is True:
            yield place.hit("object accepts undeclared properties")
