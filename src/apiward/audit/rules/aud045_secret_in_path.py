"""AUD-045: token or secret in a path parameter."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._sensitive import holds_value, is_secret, is_token
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel, ParamLocation


@rule(
    id="AUD-045",
    title="Token or secret in the URL path",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API2,
    cwe=598,
    rationale="Paths are logged by every server, proxy and analytics tool; a token or secret in the path "
    "(`/reset/{token}`) outlives its use and leaks to whoever reads the logs.",
    fix="Send tokens in a header or the request body; if a link must carry one, make it single-use and short-lived.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for path parameters named like a token, password, secret or API key.

    Does not fire for ordinary path parameters (``id``, ``userId``).
    """
    for op in model.operations:
        for param in op.params(ParamLocation.PATH):
            if (is_token(param.name) or is_secret(param.name)) and holds_value(param.name, param.schema):
                yield Hit(
                    operation=op,
                    location=f"path:{param.name}",
                    pointer=param.pointer or op.pointer,
                    message=f"path parameter {param.name!r} puts a secret in the URL",
                )
