"""AUD-003: write operation explicitly public."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import WRITE_METHODS
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

#: Public writes that are normal: sign-up, log-in, password reset, token exchange.
_AUTH_WORDS = ("login", "signin", "signup", "register", "token", "oauth", "auth", "session", "password", "reset")


@rule(
    id="AUD-003",
    title="Write operation is explicitly public",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API5,
    cwe=306,
    rationale="An operation that changes state and opts out of authentication with `security: []` lets "
    "anyone create, change or delete data.",
    fix="Require authentication for state-changing operations; keep `security: []` for reads and for "
    "authentication endpoints only.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for POST, PUT, PATCH and DELETE operations that declare ``security: []``, unless their path is
    an authentication endpoint (login, sign-up, token, password reset ...).

    Does not fire for read operations or for writes that require authentication.
    """
    for op in model.operations:
        if op.method not in WRITE_METHODS or not op.security_declared or op.security:
            continue
        if any(word in op.path.lower().replace("-", "").replace("_", "") for word in _AUTH_WORDS):
            continue
        yield Hit(
            operation=op,
            pointer=op.pointer,
            message="write operation opts out of authentication",
        )
