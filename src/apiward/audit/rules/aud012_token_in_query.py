"""AUD-012: access token accepted in a query parameter."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import norm
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel, ParamLocation

_TOKEN_NAMES = frozenset(
    {"token", "accesstoken", "idtoken", "refreshtoken", "authtoken", "jwt", "bearer", "sessionid", "sid"}
)


@rule(
    id="AUD-012",
    title="Token accepted in a query parameter",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API2,
    cwe=598,
    rationale="Tokens in URLs are written to access logs, proxies and browser history and leak through "
    "Referer headers (RFC 6750 §5.3, RFC 8725).",
    fix="Accept tokens only in the `Authorization` header (or an HttpOnly cookie for browsers).",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for query parameters named like a token or session id (``token``, ``access_token``,
    ``jwt``, ``session_id`` ...).

    Does not fire for such names in headers or cookies, nor for unrelated query parameters.
    """
    for op in model.operations:
        for param in op.params(ParamLocation.QUERY):
            if norm(param.name) in _TOKEN_NAMES:
                yield Hit(
                    operation=op,
                    location=f"query:{param.name}",
                    pointer=param.pointer or op.pointer,
                    message=f"query parameter {param.name!r} carries a token in the URL",
                )
