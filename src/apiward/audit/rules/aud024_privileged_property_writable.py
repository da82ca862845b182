"""AUD-024: privileged property writable by clients."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import request_places
from apiward.audit._sensitive import is_privileged
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-024",
    title="Privileged property writable in request",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API3,
    cwe=915,
    rationale="A request body that accepts `role`, `isAdmin`, `permissions` or similar lets a client grant "
    "itself privileges unless every handler filters them out.",
    fix="Mark such properties `readOnly`, drop them from request models, and change them only through "
    "dedicated, authorised administration operations.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for request body properties named ``role``, ``roles``, ``isAdmin``, ``permissions``,
    ``is_superuser`` and the like that are not ``readOnly``.

    Does not fire for ``readOnly`` privileged properties, nor for ordinary properties.
    """
    for place in request_places(model):
        name = place.node.name
        if place.kind == "body" and name is not None and is_privileged(name):
            yield place.hit(f"clients can set privileged property {name!r}")
