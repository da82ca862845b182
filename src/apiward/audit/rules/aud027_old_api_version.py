"""AUD-027: an older API version is still exposed beside a newer one."""

from __future__ import annotations

import re
from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

_VERSION = re.compile(r"/v(\d+)(?=/|$)", re.IGNORECASE)


@rule(
    id="AUD-027",
    title="Old API version still exposed",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API9,
    cwe=1059,
    rationale="Old versions kept beside new ones tend to miss the security fixes of the new one and are "
    "forgotten in monitoring — improper inventory management.",
    fix="Retire old versions (or mark them `deprecated` with a sunset date) and give them the same "
    "protection as the current one.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each operation under ``<prefix>/vN/`` when the description also has paths under
    ``<prefix>/vM/`` with M > N (versions are compared per prefix, so ``/apis/apps/v1`` is not old because
    ``/apis/autoscaling/v2`` exists).

    Does not fire when only one version is present under a prefix.
    """
    latest: dict[str, int] = {}
    for op in model.operations:
        if m := _VERSION.search(op.path):
            prefix = op.path[: m.start()]
            latest[prefix] = max(latest.get(prefix, 0), int(m.group(1)))
    for op in model.operations:
        m = _VERSION.search(op.path)
        if m and int(m.group(1)) < latest[op.path[: m.start()]]:
            newest = latest[op.path[: m.start()]]
            yield Hit(
                operation=op, pointer=op.pointer, message=f"{op.path} is version v{m.group(1)} while v{newest} exists"
            )
