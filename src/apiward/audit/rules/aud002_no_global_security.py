"""AUD-002: no global security default."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-002",
    title="No global security default",
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API8,
    cwe=1188,
    rationale="Without a document-wide `security` default, every new operation is public until someone "
    "remembers to secure it: an insecure default.",
    fix="Declare a top-level `security` requirement so operations are secured by default; opt public "
    "operations out with `security: []`.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires once when the description has operations but no top-level ``security`` requirement.

    Does not fire when a global requirement exists (even if some operations opt out).
    """
    if model.operations and not any(model.security):
        yield Hit(pointer="/security", message="the description declares no global security requirement")
