"""AUD-030: no servers declared."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._servers import all_servers
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-030",
    title="No servers declared",
    severity=Severity.INFO,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API9,
    cwe=1059,
    rationale="A description that does not say where the API runs cannot be tied to its deployments, so "
    "inventories, scanners and gateways cannot tell which hosts it covers.",
    fix="List the production (and other) base URLs under `servers`.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires once when neither the document nor any operation declares a server.

    Does not fire when at least one server is declared.
    """
    if model.operations and next(all_servers(model), None) is None:
        yield Hit(pointer="/servers", message="the description declares no servers")
