"""AUD-005: API key in the query string."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._pointers import scheme_pointer
from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-005",
    title="API key sent in the query string",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API2,
    cwe=598,
    rationale="Query strings end up in access logs, proxy logs, browser history and Referer headers, so an "
    "API key sent there leaks to everyone who can read them.",
    fix="Send the API key in a header (`in: header`), or move to OAuth2 / bearer tokens.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires once per ``apiKey`` security scheme located ``in: query``.

    Does not fire for API keys in headers or cookies.
    """
    for name, scheme in model.security_schemes.items():
        if scheme.type == "apiKey" and scheme.location == "query":
            yield Hit(
                location=f"securityScheme:{name}",
                pointer=scheme_pointer(model, name),
                message=f"security scheme {name!r} sends the API key in query parameter {scheme.param_name!r}",
            )
