"""AUD-043: responses designed to carry stack traces or internal errors."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import response_places
from apiward.audit._sensitive import is_error_detail
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-043",
    title="Response carries stack traces or internal errors",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API8,
    cwe=209,
    rationale="Stack traces, exception names and SQL in error responses reveal frameworks, file paths and "
    "queries that help an attacker plan the next step.",
    fix="Return a generic error (RFC 9457 problem details) with a correlation id; log the details server-side.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for response properties named ``stack``, ``stackTrace``, ``trace``, ``traceback``,
    ``exception`` or ``sql``.

    Does not fire for ordinary error fields (``code``, ``message``, ``detail``).
    """
    for place in response_places(model):
        name = place.node.name
        if name is not None and is_error_detail(name):
            yield place.hit(f"response property {name!r} exposes internal error details")
