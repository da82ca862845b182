"""AUD-042: collection returned without a page-size limit."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import is_success, norm, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel, ParamLocation

_LIMIT_NAMES = frozenset({"limit", "pagesize", "perpage", "size", "count", "top", "first", "last", "max", "maxresults"})


@rule(
    id="AUD-042",
    title="Collection without a page-size limit",
    severity=Severity.LOW,
    confidence=Confidence.LOW,
    owasp=OwaspApi2023.API4,
    cwe=770,
    rationale="A list operation that returns whole collections, or lets the client pick any page size, "
    "lets one request pull every record — slow, expensive and a gift to scrapers.",
    fix="Paginate collections: add a `limit`/`page_size` query parameter with a `maximum`.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for GET operations whose success response is a JSON array and that have no page-size query
    parameter (``limit``, ``page_size``, ``per_page``, ``size`` ...) bounded by a ``maximum``.

    Does not fire for single-object responses or when a bounded page-size parameter exists.
    """
    for op in model.operations:
        if op.method != "GET":
            continue
        returns_array = any(
            "array" in schema_types(media.schema)
            for status, response in op.responses.items()
            if is_success(status)
            for media in response.content.values()
            if media.schema is not None
        )
        if not returns_array:
            continue
        limits = [p for p in op.params(ParamLocation.QUERY) if norm(p.name) in _LIMIT_NAMES]
        if not any("maximum" in p.schema or "exclusiveMaximum" in p.schema for p in limits):
            yield Hit(operation=op, pointer=op.pointer, message="returns a list without a bounded page-size parameter")
