"""AUD-041: client-supplied URL (server-side request forgery risk)."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import norm, request_places, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

#: Names that hold a URL beyond doubt; plus any name ending in ``url``/``uri`` (``imageUrl``, ``redirect_uri``).
_URL_NAMES = frozenset({"callback", "webhook", "redirect", "feed", "proxy", "fetch"})
_URL_ENDS = ("url", "uri")


@rule(
    id="AUD-041",
    title="Client-supplied URL",
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    owasp=OwaspApi2023.API7,
    cwe=918,
    rationale="An API that fetches a URL chosen by the client can be steered to internal services, cloud "
    "metadata endpoints or local files — server-side request forgery.",
    fix="Avoid fetching client URLs; otherwise allow-list schemes and hosts, resolve and block private "
    "addresses, and disable redirects.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for request strings with ``format: uri``/``url`` or named like a URL (``url``, ``callback``,
    ``webhook``, or ending in ``url``/``uri`` such as ``redirect_uri``, ``imageUrl``) unless restricted by
    ``enum``/``const``.

    Does not fire for other strings or for URL fields limited to an ``enum``.
    """
    for place in request_places(model):
        s = place.node.schema
        if "string" not in schema_types(s) or {"enum", "const"} & set(s):
            continue
        name = norm(place.node.name or "")
        if s.get("format") in ("uri", "url", "iri", "uri-reference") or name in _URL_NAMES or name.endswith(_URL_ENDS):
            yield place.hit("the client chooses a URL the server may fetch")
