"""AUD-011: bearer scheme without bearerFormat."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._pointers import scheme_pointer
from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-011",
    title="Bearer token format not declared",
    severity=Severity.INFO,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API8,
    cwe=1059,
    rationale="Without `bearerFormat` clients, gateways and testers cannot tell whether tokens are JWTs to "
    "validate or opaque tokens to introspect.",
    fix="Add `bearerFormat` (for example `JWT`) to the bearer security scheme.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for ``http`` security schemes with ``scheme: bearer`` and no ``bearerFormat``.

    Does not fire when ``bearerFormat`` is set.
    """
    for name, scheme in model.security_schemes.items():
        if scheme.type == "http" and (scheme.scheme or "").lower() == "bearer" and not scheme.bearer_format:
            yield Hit(
                location=f"securityScheme:{name}",
                pointer=scheme_pointer(model, name),
                message=f"bearer scheme {name!r} does not declare bearerFormat",
            )
