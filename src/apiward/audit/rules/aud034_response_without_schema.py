"""AUD-034: success response without a schema."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import is_success
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

#: Statuses that carry no body by definition.
_NO_BODY = frozenset({"204", "205", "304"})


@rule(
    id="AUD-034",
    title="Success response without a schema",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API3,
    cwe=1059,
    rationale="Without a response schema nobody can check what an operation returns: data leaks go "
    "unnoticed and gateways cannot filter responses.",
    fix="Describe every success response body with a schema (or use 204 when there is none).",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for 2xx responses (except 204/205) of GET, POST, PUT and PATCH operations that declare no
    content or content without a schema.

    Does not fire when every media type has a schema, nor for bodiless statuses and HEAD/DELETE/OPTIONS.
    """
    for op in model.operations:
        if op.method not in ("GET", "POST", "PUT", "PATCH"):
            continue
        for status, response in op.responses.items():
            if not is_success(status) or status in _NO_BODY:
                continue
            if not response.content or any(m.schema is None for m in response.content.values()):
                yield Hit(
                    operation=op,
                    location=f"response:{status}",
                    pointer=op.pointer,
                    message=f"response {status} has no schema",
                )
