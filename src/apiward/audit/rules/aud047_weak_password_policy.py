"""AUD-047: password accepted without a minimum length."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import norm, request_places, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

_PASSWORD_NAMES = frozenset({"password", "newpassword", "passwd", "passphrase", "pwd"})
_MIN_LENGTH = 8
#: Where a password is checked, not chosen: a length policy there is pointless.
_LOGIN_WORDS = ("login", "signin", "token", "session", "auth")


@rule(
    id="AUD-047",
    title="Password accepted without a minimum length",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API2,
    cwe=521,
    rationale="An API that accepts short passwords lets users pick ones that credential stuffing and brute "
    "force guess quickly.",
    fix=f"Require `minLength: {_MIN_LENGTH}` or more on password fields (NIST SP 800-63B) and check new passwords "
    "against known-breached ones.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for request strings named ``password``/``new_password``/``passphrase`` (or with
    ``format: password``) in request bodies whose ``minLength`` is missing or below 8.

    Does not fire when ``minLength`` is 8 or more, for non-password fields, nor on log-in and token
    endpoints, where passwords are checked rather than chosen.
    """
    for place in request_places(model):
        s = place.node.schema
        name = norm(place.node.name or "")
        if place.kind != "body" or any(word in norm(place.op.path) for word in _LOGIN_WORDS):
            continue
        if "string" not in schema_types(s) or not (name in _PASSWORD_NAMES or s.get("format") == "password"):
            continue
        minimum = s.get("minLength")
        if not isinstance(minimum, int) or minimum < _MIN_LENGTH:
            yield place.hit(f"password accepts fewer than {_MIN_LENGTH} characters")
