"""AUD-035: file upload without a size limit."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import request_places, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

_BINARY = ("binary", "base64")
_BINARY_MEDIA = ("application/octet-stream", "image/", "video/", "audio/", "application/pdf", "application/zip")


@rule(
    id="AUD-035",
    title="File upload without a size limit",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API4,
    cwe=770,
    rationale="Uploads without a declared maximum size invite disk and memory exhaustion and very "
    "expensive processing (thumbnails, virus scans, parsing).",
    fix="Declare `maxLength` on binary properties (bytes) and enforce an upload size limit in the server or gateway.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for request properties with ``format: binary`` or ``base64`` content (multipart uploads,
    Swagger 2.0 ``type: file``) and for raw binary request bodies (``application/octet-stream``,
    ``image/*`` ...) whose schema has no ``maxLength``.

    Does not fire when ``maxLength`` is set, nor for ordinary JSON bodies.
    """
    for place in request_places(model):
        s = place.node.schema
        binary = s.get("format") in ("binary", "base64") or "file" in schema_types(s) or "contentEncoding" in s
        if binary and "maxLength" not in s:
            yield place.hit("upload has no size limit")
    for op in model.operations:
        if op.request_body is None:
            continue
        for media_type, media in op.request_body.content.items():
            if not media_type.lower().startswith(_BINARY_MEDIA):
                continue
            if media.schema is not None and ("maxLength" in media.schema or media.schema.get("format") in _BINARY):
                continue  # bounded, or already reported by the walk above
            yield Hit(
                operation=op,
                location=f"body:{media_type}",
                pointer=op.pointer,
                message=f"{media_type} upload has no size limit",
            )
