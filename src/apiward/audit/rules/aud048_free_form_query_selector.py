"""AUD-048: free-form sort or field-selection parameter."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import norm, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel, ParamLocation

_SELECTORS = frozenset(
    {"sort", "sortby", "orderby", "order", "sortfield", "fields", "select", "expand", "include", "embed", "columns"}
)


def _free_form(schema: dict[str, object] | object) -> bool:
    if not isinstance(schema, dict):
        return False
    if {"enum", "const", "pattern"} & set(schema):
        return False
    types = schema_types(schema)
    if "array" in types:
        return _free_form(schema.get("items", {}))
    return not types or "string" in types


@rule(
    id="AUD-048",
    title="Free-form sort or field selection",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API3,
    cwe=943,
    rationale="Sort and field-selection parameters that take any text reach query builders (`ORDER BY`, "
    "projections, joins): they invite query injection and let clients select or expand properties they "
    "should not see.",
    fix="Restrict sort and field-selection parameters to an `enum` of allowed fields (or an anchored "
    "`pattern` listing them).",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for query parameters named ``sort``, ``order_by``, ``fields``, ``select``, ``expand``,
    ``include`` (and similar) whose values — or array items — are strings without ``enum``, ``const`` or
    ``pattern``.

    Does not fire when the allowed values are enumerated or patterned, nor for other parameters.
    """
    for op in model.operations:
        for param in op.params(ParamLocation.QUERY):
            if norm(param.name) in _SELECTORS and _free_form(dict(param.schema)):
                yield Hit(
                    operation=op,
                    location=f"query:{param.name}",
                    pointer=param.pointer or op.pointer,
                    message=f"query parameter {param.name!r} accepts any field name",
                )
