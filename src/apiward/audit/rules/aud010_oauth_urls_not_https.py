"""AUD-010: OAuth2 / OpenID Connect endpoints over plain HTTP."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._pointers import scheme_pointer
from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-010",
    title="OAuth2 or OpenID Connect URL is not HTTPS",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API2,
    cwe=319,
    rationale="Authorization, token and discovery endpoints carry codes, tokens and client secrets; over "
    "plain HTTP anyone on the path can read or replace them.",
    fix="Serve every authorization, token, refresh and OpenID Connect discovery URL over `https://`.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for every ``http://`` authorization, token or refresh URL of an OAuth2 flow and for an
    ``http://`` ``openIdConnectUrl``.

    Does not fire for ``https://`` URLs or relative URLs.
    """
    for name, scheme in model.security_schemes.items():
        urls: list[tuple[str, str | None]] = [("openIdConnectUrl", scheme.openid_connect_url)]
        for kind, flow in scheme.flows.items():
            urls += [
                (f"{kind}.authorizationUrl", flow.authorization_url),
                (f"{kind}.tokenUrl", flow.token_url),
                (f"{kind}.refreshUrl", flow.refresh_url),
            ]
        for field, url in urls:
            if url and url.lower().startswith("http://"):
                yield Hit(
                    location=f"securityScheme:{name}:{field}",
                    pointer=scheme_pointer(model, name),
                    message=f"security scheme {name!r} uses plain HTTP for {field}: {url}",
                )
