"""AUD-038: GraphQL endpoint without security."""

from __future__ import annotations

import re
from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

_GRAPHQL = re.compile(r"/(graphql|graphiql|gql|playground)(?=/|$)", re.I)


@rule(
    id="AUD-038",
    title="GraphQL endpoint without security",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API8,
    cwe=306,
    rationale="A public GraphQL endpoint exposes the whole graph behind one URL: introspection maps it, and "
    "batched or deeply nested queries exhaust the server.",
    fix="Require authentication, disable introspection in production, and limit query depth and cost.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for operations under ``/graphql``, ``/graphiql``, ``/gql`` or ``/playground`` that do not
    require authentication.

    Does not fire when authentication is required.
    """
    for op in model.operations:
        if _GRAPHQL.search(op.path) and not op.requires_auth:
            yield Hit(operation=op, pointer=op.pointer, message="GraphQL endpoint requires no authentication")
