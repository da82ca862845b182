"""AUD-006: HTTP Basic authentication."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._pointers import scheme_pointer
from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-006",
    title="HTTP Basic authentication",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API2,
    cwe=522,
    rationale="Basic authentication sends the long-lived password with every request, merely base64-encoded; "
    "it cannot expire, be scoped or be revoked per client, and invites credential stuffing.",
    fix="Use short-lived tokens (OAuth2 / OpenID Connect bearer tokens) instead of passwords on every call.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires once per ``http`` security scheme with ``scheme: basic`` (Swagger 2.0 ``type: basic`` too).

    Does not fire for bearer or other schemes.
    """
    for name, scheme in model.security_schemes.items():
        if scheme.type in ("http", "basic") and (scheme.scheme or "basic").lower() == "basic":
            yield Hit(
                location=f"securityScheme:{name}",
                pointer=scheme_pointer(model, name),
                message=f"security scheme {name!r} uses HTTP Basic authentication",
            )
