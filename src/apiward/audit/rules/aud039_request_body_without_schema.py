"""AUD-039: request body without a content type or schema."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-039",
    title="Request body without content type or schema",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API8,
    cwe=20,
    rationale="A body with no declared media type or schema cannot be validated: anything the client sends "
    "reaches the implementation.",
    fix="Declare the accepted media types and a schema for each.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for request bodies with no media type, or with a structured media type (JSON, XML, form)
    that has no schema.

    Does not fire when every structured media type has a schema. Raw binary bodies are AUD-035's concern.
    """
    for op in model.operations:
        body = op.request_body
        if body is None:
            continue
        if not body.content:
            yield Hit(operation=op, location="body", pointer=op.pointer, message="request body declares no media type")
            continue
        for media_type, media in body.content.items():
            structured = any(k in media_type.lower() for k in ("json", "xml", "form", "*/*"))
            if structured and media.schema is None:
                yield Hit(
                    operation=op,
                    location=f"body:{media_type}",
                    pointer=op.pointer,
                    message=f"request body {media_type} has no schema",
                )
