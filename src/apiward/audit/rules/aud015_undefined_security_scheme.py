"""AUD-015: security requirement names an undefined scheme."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-015",
    title="Security requirement names an undefined scheme",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API2,
    cwe=287,
    rationale="A requirement naming a scheme that does not exist cannot be enforced; generated servers and "
    "gateways may skip it and leave the operation open.",
    fix="Define the scheme under `components.securitySchemes` (or fix the name in the requirement).",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each operation whose security requirements name a scheme the description does not define.

    Does not fire when every named scheme is defined.
    """
    for op in model.operations:
        missing = sorted({name for req in op.security for name in req} - set(model.security_schemes))
        for name in missing:
            yield Hit(
                operation=op,
                location=f"security:{name}",
                pointer=op.pointer,
                message=f"requires undefined security scheme {name!r}",
            )
