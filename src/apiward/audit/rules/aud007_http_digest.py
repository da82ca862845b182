"""AUD-007: HTTP Digest authentication."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._pointers import scheme_pointer
from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-007",
    title="HTTP Digest authentication",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API2,
    cwe=328,
    rationale="Digest authentication relies on MD5 in practice and requires the server to keep "
    "password-equivalent secrets.",
    fix="Use OAuth2 / OpenID Connect bearer tokens or mutual TLS.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires once per ``http`` security scheme with ``scheme: digest``.

    Does not fire for other HTTP schemes.
    """
    for name, scheme in model.security_schemes.items():
        if scheme.type == "http" and (scheme.scheme or "").lower() == "digest":
            yield Hit(
                location=f"securityScheme:{name}",
                pointer=scheme_pointer(model, name),
                message=f"security scheme {name!r} uses HTTP Digest authentication",
            )
