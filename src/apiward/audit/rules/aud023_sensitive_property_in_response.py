"""AUD-023: sensitive property exposed in a response."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import norm, response_places
from apiward.audit._sensitive import holds_value, is_secret, is_token
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

#: Paths whose job is to hand out tokens: a token in their response is the point, not a leak.
_TOKEN_ISSUERS = ("login", "signin", "token", "oauth", "auth", "session", "refresh")


@rule(
    id="AUD-023",
    title="Sensitive property exposed in response",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API3,
    cwe=213,
    rationale="Responses that carry passwords, secrets, tokens, card numbers or national ids expose them "
    "to every client, log and cache on the way — excessive data exposure.",
    fix="Remove the property from the response model (or mark it `writeOnly`), and return only what the client needs.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for response properties named like a password, secret, API key, token, card number or SSN.
    Token-named properties are allowed in responses of token-issuing paths (login, token, oauth, session).

    Only properties that can hold the value count: strings (or untyped) without an ``enum``, not named
    *about* the secret (``secret_type``, ``card_last4``, ``has_password``).

    Does not fire for ``writeOnly`` properties, booleans/objects/enums, nor for ordinary property names.
    """
    for place in response_places(model):
        name = place.node.name
        if name is None or not holds_value(name, place.node.schema):
            continue
        issuer = any(word in norm(place.op.path) for word in _TOKEN_ISSUERS)
        secret = is_secret(name) or place.node.schema.get("format") == "password"
        if secret or (is_token(name) and not issuer):
            yield place.hit(f"response exposes sensitive property {name!r}")
