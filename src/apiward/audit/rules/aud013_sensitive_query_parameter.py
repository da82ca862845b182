"""AUD-013: secrets or personal data in query parameters."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._sensitive import holds_value, is_secret
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel, ParamLocation


@rule(
    id="AUD-013",
    title="Sensitive data in a query parameter",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API3,
    cwe=598,
    rationale="Passwords, secrets, card numbers or national ids in the URL are logged by every server and "
    "proxy on the way and kept in browser history.",
    fix="Send such values in the request body (POST) or a header, never in the query string.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for query parameters named like a password, secret, API key, card number or SSN.

    Only parameters that can hold the value count (strings without ``enum``, not ``secret_type`` or
    ``hide_secret``).

    Does not fire for those names in bodies or headers, nor for ordinary query parameters.
    """
    for op in model.operations:
        for param in op.params(ParamLocation.QUERY):
            secret = is_secret(param.name) or param.schema.get("format") == "password"
            if secret and holds_value(param.name, param.schema):
                yield Hit(
                    operation=op,
                    location=f"query:{param.name}",
                    pointer=param.pointer or op.pointer,
                    message=f"query parameter {param.name!r} puts sensitive data in the URL",
                )
