"""AUD-041: client-supplied URL (server-side request forgery risk)."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.audit._rule import Hit, rule
from apiward.audit._schema import norm, request_places, schema_types
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

_URL_NAMES = frozenset(
    {"url", "uri", "callback", "callbackurl", "webhook", "webhookurl", "redirect", "redirecturl", "redirecturi",
     "returnurl", "next", "target", "targeturl", "endpoint", "imageurl", "avatarurl", "feed", "feedurl", "host",
     "proxy", "fetch", "link", "src", "source", "sourceurl", "dest", "destination"}
)  # fmt: skip


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
    ``webhook``, ``redirect_uri``, ``imageUrl`` ...) unless restricted by ``enum``/``const``.

    Does not fire for other strings or for URL fields limited to an ``enum``.
    """
    for place in request_places(model):
        s = place.node.schema
        if "string" not in schema_types(s) or {"enum", "const"} & set(s):
            continue
        name = place.node.name or ""
        if s.get("format") in ("uri", "url", "iri", "uri-reference") or norm(name) in _URL_NAMES:
            yield place.hit("the client chooses a URL the server may fetch")
