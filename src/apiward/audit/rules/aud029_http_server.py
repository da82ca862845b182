"""AUD-029: server URL over plain HTTP."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._servers import all_servers
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel


@rule(
    id="AUD-029",
    title="Server URL uses plain HTTP",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    owasp=OwaspApi2023.API8,
    cwe=319,
    rationale="Over plain HTTP, credentials, tokens and data travel in clear text and can be read or altered "
    "by anyone on the network path.",
    fix="Serve the API over `https://` only (and redirect or refuse plain HTTP).",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for each distinct ``http://`` server URL (document, path or operation level; Swagger 2.0
    ``schemes: [http]``).

    Does not fire for ``https://`` or relative server URLs, nor for loopback URLs (AUD-031 covers those).
    """
    for url, pointer in all_servers(model):
        lowered = url.lower()
        if lowered.startswith("http://") and not any(h in lowered for h in ("//localhost", "//127.", "//[::1]")):
            yield Hit(location=f"server:{url}", pointer=pointer, message=f"server {url} uses plain HTTP")
