"""AUD-018: no 429 response (no sign of rate limiting)."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-018",
    title="No rate-limit response (429)",
    severity=Severity.LOW,
    confidence=Confidence.LOW,
    owasp=OwaspApi2023.API4,
    cwe=770,
    rationale="An operation that never answers 429 Too Many Requests is likely not rate limited, which "
    "invites brute force, scraping and resource exhaustion.",
    fix="Rate-limit the operation and document a `429` response (with `Retry-After`).",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for operations that define neither ``429``, ``4XX`` nor ``default``.

    Does not fire when one of those responses is present.
    """
    for op in model.operations:
        if not ({"429", "4XX", "default"} & set(op.responses)):
            yield Hit(operation=op, pointer=op.pointer, message="no 429 (or 4XX/default) response documented")
