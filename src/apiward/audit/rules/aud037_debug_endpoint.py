"""AUD-037: debug or diagnostic endpoint without security."""

from __future__ import annotations

import re
from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

_DEBUG = re.compile(
    r"/(debug|_debug|trace|actuator|env|heapdump|threaddump|phpinfo|console|swagger-resources|\.git|\.env|"
    r"server-status|jolokia|pprof|_profiler)(?=/|$)",
    re.I,
)


@rule(
    id="AUD-037",
    title="Debug or diagnostic endpoint without security",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API8,
    cwe=489,
    rationale="Debug, profiling and actuator endpoints disclose configuration, secrets and memory, and some "
    "allow code execution; they must never be public.",
    fix="Remove debug endpoints from production, or require authentication and restrict them to operators.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for operations under ``/debug``, ``/actuator``, ``/env``, ``/heapdump``, ``/pprof``,
    ``/trace`` and similar that do not require authentication.

    Does not fire when authentication is required or for ordinary paths.
    """
    for op in model.operations:
        if _DEBUG.search(op.path) and not op.requires_auth:
            yield Hit(operation=op, pointer=op.pointer, message="debug endpoint requires no authentication")
