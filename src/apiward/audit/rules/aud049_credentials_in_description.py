"""AUD-049: credentials embedded in the description."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from apiward.audit._pointers import escape
from apiward.audit._rule import Hit, rule
from apiward.audit._servers import all_servers
from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.spec import ApiModel

#: Shapes of live credentials (not placeholders): JWTs, cloud and SaaS keys, private keys.
_SECRETS = (
    ("a JWT", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{30,}")),
    ("a Stripe live key", re.compile(r"\b(?:sk|rk)_live_[0-9a-zA-Z]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[0-9A-Za-z-]{20,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a private key", re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----")),
)


def _strings(doc: Any) -> Iterator[tuple[str, str]]:
    """``(pointer, string)`` for every string value of the raw document (each shared node once)."""
    seen: set[int] = set()
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, str):
            yield pointer, node
        elif id(node) in seen:
            continue
        elif isinstance(node, Mapping):
            seen.add(id(node))
            stack.extend((f"{pointer}/{escape(str(k))}", v) for k, v in node.items())
        elif isinstance(node, list):
            seen.add(id(node))
            stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(node))


@rule(
    id="AUD-049",
    title="Credentials embedded in the description",
    severity=Severity.HIGH,
    confidence=Confidence.LOW,  # vendors publish realistic fake tokens in examples; only a human can tell
    owasp=OwaspApi2023.API8,
    cwe=798,
    rationale="API descriptions are published, shared and committed; a real token, key or password in an "
    "example or a server URL is a leaked credential.",
    fix="Revoke the credential now, then replace it with an obvious placeholder (`<your-token>`) and keep "
    "real secrets out of the description.",
)
def check(model: ApiModel) -> Iterator[Hit]:
    """Fires for server URLs with a password (``https://user:pass@host``) and for any string
    in the description shaped like a live credential: a JWT, an AWS, GitHub, Stripe live, Slack or Google
    key, or a private key block. The finding names where, never the secret itself.

    Does not fire for placeholders (``<token>``, ``sk_test_...``) or ordinary text.
    """
    for url, pointer in all_servers(model):
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.password:  # all_servers() already replaced it with a marker
            yield Hit(location=f"server:{parts.hostname}", pointer=pointer, message="server URL embeds credentials")
    for pointer, text in _strings(model.raw):
        for kind, pattern in _SECRETS:
            if pattern.search(text):
                yield Hit(location=f"document:{pointer}", pointer=pointer, message=f"the description contains {kind}")
                break
