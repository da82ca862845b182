"""AUD-014: security scheme defined but never used."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._pointers import scheme_pointer
from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-014",
    title="Unused security scheme",
    severity=Severity.INFO,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API9,
    cwe=1164,
    rationale="A scheme nobody references is either dead configuration or a sign that the operations meant "
    "to use it were left unprotected.",
    fix="Reference the scheme from the operations that need it, or remove it.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each security scheme that neither the global ``security`` nor any operation references.

    Does not fire for schemes in use.
    """
    used = {name for req in model.security for name in req}
    used |= {name for op in model.operations for req in op.security for name in req}
    for name in model.security_schemes:
        if name not in used:
            yield Hit(
                location=f"securityScheme:{name}",
                pointer=scheme_pointer(model, name),
                message=f"security scheme {name!r} is never used",
            )
