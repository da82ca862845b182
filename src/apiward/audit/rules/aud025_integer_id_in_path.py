"""AUD-025: sequential integer id in the path."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import norm, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel, ParamLocation


@rule(
    id="AUD-025",
    title="Integer object id in path",
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    owasp=OwaspApi2023.API1,
    cwe=639,
    rationale="Sequential integer ids are trivial to enumerate; any gap in object-level authorisation "
    "becomes a walk through every record (BOLA).",
    fix="Check object ownership on every access, and prefer unguessable ids (UUIDs) in paths.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for path parameters of type ``integer`` whose name looks like an identifier (``id``,
    ``userId``, ``order_id`` ...).

    Does not fire for string/UUID identifiers or for integer path parameters that are not ids
    (``year``, ``page``).
    """
    for op in model.operations:
        for param in op.params(ParamLocation.PATH):
            name = norm(param.name)
            if "integer" in schema_types(param.schema) and (name == "id" or name.endswith("id")):
                yield Hit(
                    operation=op,
                    location=f"path:{param.name}",
                    pointer=param.pointer or op.pointer,
                    message=f"path parameter {param.name!r} is an integer id",
                )
