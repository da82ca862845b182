"""AUD-009: OAuth2 resource owner password flow."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._pointers import scheme_pointer
from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-009",
    title="OAuth2 password flow",
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API2,
    cwe=522,
    rationale="The resource owner password credentials flow hands the user's password to the client and "
    "rules out multi-factor authentication; RFC 9700 says it must not be used.",
    fix="Use the authorization code flow with PKCE (or client credentials for machine clients).",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires once per OAuth2 security scheme that offers the ``password`` flow.

    Does not fire for the authorization code or client credentials flows.
    """
    for name, scheme in model.security_schemes.items():
        if scheme.type == "oauth2" and "password" in scheme.flows:
            yield Hit(
                location=f"securityScheme:{name}",
                pointer=scheme_pointer(model, name),
                message=f"security scheme {name!r} offers the OAuth2 password flow",
            )
