"""AUD-036: administrative path without security."""

from __future__ import annotations

import re
from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

_ADMIN = re.compile(
    r"/(admin|administration|administrator|manage|management|internal|private|staff|superuser)(?=/|$)", re.I
)


@rule(
    id="AUD-036",
    title="Administrative operation without security",
    severity=Severity.CRITICAL,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API5,
    cwe=285,
    rationale="Administrative and internal functions reachable without authentication hand privileged "
    "functions to anyone — broken function level authorisation.",
    fix="Require authentication and an administrative scope/role for these operations, or do not expose "
    "them on the public API at all.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for operations under ``/admin``, ``/internal``, ``/management``, ``/private`` (and similar)
    that do not require authentication.

    Does not fire when authentication is required, nor for paths that merely contain such words inside a
    segment (``/administrators-guide`` is not ``/admin``).
    """
    for op in model.operations:
        if _ADMIN.search(op.path) and not op.requires_auth:
            yield Hit(operation=op, pointer=op.pointer, message="administrative operation requires no authentication")
