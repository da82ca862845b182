"""AUD-044: OAuth2 requirement without scopes."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import WRITE_METHODS
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-044",
    title="OAuth2 requirement without scopes",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API5,
    cwe=285,
    rationale="A write operation that accepts any OAuth2 token, whatever its scopes, lets a token issued for "
    "reading (or for another feature) change data: function-level authorisation is missing.",
    fix="List the scopes each write operation needs in its security requirement (`oauth: [orders:write]`) and "
    "enforce them.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for POST, PUT, PATCH and DELETE operations whose security requirement names an OAuth2 or OpenID
    Connect scheme with an empty scope list, when that scheme defines scopes.

    Does not fire when scopes are required, for read operations, nor for schemes without any scopes.
    """
    for op in model.operations:
        if op.method not in WRITE_METHODS:
            continue
        for requirement in op.security:
            for name, scopes in requirement.items():
                scheme = model.security_schemes.get(name)
                if scheme is None or scheme.type not in ("oauth2", "openIdConnect") or scopes:
                    continue
                if scheme.type == "oauth2" and not any(flow.scopes for flow in scheme.flows.values()):
                    continue
                yield Hit(
                    operation=op,
                    location=f"security:{name}",
                    pointer=op.pointer,
                    message=f"write operation accepts any {name!r} token: no scopes required",
                )
