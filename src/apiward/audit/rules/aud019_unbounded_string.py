"""AUD-019: request string without maxLength."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import request_places, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

#: Formats whose values have a bounded length by definition.
_BOUNDED_FORMATS = frozenset(
    {"date", "date-time", "time", "uuid", "ipv4", "ipv6", "int32", "int64", "byte", "duration", "binary"}
)


@rule(
    id="AUD-019",
    title="Unbounded string in request",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API4,
    cwe=770,
    rationale="Strings without `maxLength` let clients send megabytes in one field, exhausting memory, "
    "storage and downstream systems, and widen the room for injection payloads.",
    fix="Give every request string a `maxLength` (or an `enum`, `const` or a bounded `format`).",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each string in a request parameter or body without ``maxLength``, ``enum``, ``const`` or a
    bounded ``format`` (date, date-time, uuid, ip ...). File uploads are AUD-035's concern.

    Does not fire for bounded strings, nor for ``readOnly`` properties (clients do not send them).
    """
    for place in request_places(model):
        s = place.node.schema
        if "string" not in schema_types(s) or {"maxLength", "enum", "const"} & set(s):
            continue
        if s.get("format") in _BOUNDED_FORMATS:
            continue
        yield place.hit("string has no maxLength")
