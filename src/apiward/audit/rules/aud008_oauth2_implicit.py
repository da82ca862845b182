"""AUD-008: OAuth2 implicit flow."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._pointers import scheme_pointer
from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-008",
    title="OAuth2 implicit flow",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API2,
    cwe=522,
    rationale="The implicit flow returns access tokens in the URL fragment, where they leak through history, "
    "logs and Referer headers; OAuth 2.0 Security Best Current Practice (RFC 9700) forbids it.",
    fix="Use the authorization code flow with PKCE.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires once per OAuth2 security scheme that offers the ``implicit`` flow.

    Does not fire for the authorization code or client credentials flows.
    """
    for name, scheme in model.security_schemes.items():
        if scheme.type == "oauth2" and "implicit" in scheme.flows:
            yield Hit(
                location=f"securityScheme:{name}",
                pointer=scheme_pointer(model, name),
                message=f"security scheme {name!r} offers the OAuth2 implicit flow",
            )
