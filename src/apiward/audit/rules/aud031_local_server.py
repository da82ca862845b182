"""AUD-031: server URL is local, private, wildcard or a placeholder."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from urllib.parse import urlsplit

from apiward.audit._rule import Hit, rule
from apiward.audit._servers import all_servers
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

_PLACEHOLDER_HOSTS = ("localhost", "example.com", "example.org", "example.net", "0.0.0.0", "*")  # noqa: S104 - compared, never bound


def _problem(url: str) -> str | None:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    if not host:
        return None
    if "*" in host:
        return "a wildcard host"
    if host in _PLACEHOLDER_HOSTS or host.endswith(
        (".localhost", ".local", ".internal", ".test", ".example", ".invalid", ".example.com")
    ):
        return "a local or placeholder host"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified:
        return "a loopback or private address"
    return None


@rule(
    id="AUD-031",
    title="Server URL is local, private or a placeholder",
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    owasp=OwaspApi2023.API9,
    cwe=1059,
    rationale="Loopback, private, wildcard or example hosts in a published description reveal internal "
    "infrastructure or mean the description does not describe the deployed API.",
    fix="Publish the public base URLs; keep development servers in a separate, unpublished description.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for server URLs whose host is ``localhost``, a loopback/private/link-local address, a wildcard,
    ``*.local``/``*.internal`` or an ``example.com`` placeholder.

    Does not fire for public host names or relative URLs.
    """
    for url, pointer in all_servers(model):
        problem = _problem(url)
        if problem:
            yield Hit(location=f"server:{url}", pointer=pointer, message=f"server {url} is {problem}")
