"""AUD-026: string id parameter without a pattern."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import norm, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel, ParamLocation


@rule(
    id="AUD-026",
    title="Identifier parameter accepts any string",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API8,
    cwe=20,
    rationale="An id that accepts any text reaches lookups, queries and logs unchecked; a strict pattern or "
    "format stops injection and path tricks at the edge.",
    fix="Constrain identifier parameters with `format: uuid`, a `pattern` (anchored), or an `enum`.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for string path parameters named like an id without ``pattern``, ``format``, ``enum`` or
    ``const``.

    Does not fire for constrained ids or integer ids (AUD-025).
    """
    for op in model.operations:
        for param in op.params(ParamLocation.PATH):
            s = param.schema
            name = norm(param.name)
            if not (name == "id" or name.endswith("id")) or "string" not in schema_types(s):
                continue
            if not {"pattern", "format", "enum", "const"} & set(s):
                yield Hit(
                    operation=op,
                    location=f"path:{param.name}",
                    pointer=param.pointer or op.pointer,
                    message=f"path parameter {param.name!r} accepts any string",
                )
