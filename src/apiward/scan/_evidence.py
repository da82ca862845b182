"""Evidence for findings: redacted request/response and a ``curl`` command that reproduces the request.

Secret header values become shell variables (``$APIWARD_AUTHORIZATION``) so the command works once the
reader exports the credential, and no secret is ever written in clear.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from apiward.core import REDACTED, is_secret_name, redact_headers, redact_mapping, redact_text, redact_url
from apiward.scan._request import Exchange

__all__ = ["curl_command", "exchange_evidence"]

_BODY_LIMIT = 2048
_SKIP_HEADERS = frozenset({"host", "content-length", "accept-encoding", "connection", "user-agent", "accept"})


def _env_name(header: str) -> str:
    return "APIWARD_" + re.sub(r"[^A-Z0-9]+", "_", header.upper()).strip("_")


def _body_text(body: bytes, content_type: str | None) -> Any:
    if not body:
        return ""
    text = body[:_BODY_LIMIT].decode("utf-8", "replace")
    suffix = f"… ({len(body)} bytes)" if len(body) > _BODY_LIMIT else ""
    looks_json = (content_type and "json" in content_type) or body[:1] in (b"{", b"[")
    if looks_json and not suffix:
        try:  # redacted by key, then kept as text so every renderer shows it verbatim
            return json.dumps(redact_mapping(json.loads(body)), ensure_ascii=False)
        except ValueError:
            pass
    return redact_text(text) + suffix


def curl_command(exchange: Exchange) -> str:
    parts = ["curl", "-sS", "-i", "-X", exchange.method, shlex.quote(redact_url(exchange.url))]
    for name, value in exchange.request_headers:
        lowered = name.lower()
        if lowered in _SKIP_HEADERS:
            continue
        if is_secret_name(name):
            shown = f'"{name}: ${_env_name(name)}"'
        else:
            shown = shlex.quote(f"{name}: {redact_text(value)}")
        parts += ["-H", shown]
    if exchange.request_body:
        body = exchange.request_body
        if len(body) > _BODY_LIMIT:
            parts += ["--data-binary", shlex.quote(f"<{len(body)} bytes, see evidence>")]
        else:
            parts += ["--data-binary", shlex.quote(redact_text(body.decode("utf-8", "replace")))]
    return " ".join(parts)


def exchange_evidence(exchange: Exchange) -> dict[str, Any]:
    """Redacted, size-bounded view of one exchange for ``Finding.evidence``."""
    req_type = next((v for k, v in exchange.request_headers if k.lower() == "content-type"), None)
    resp_headers = redact_headers(exchange.headers)
    return {
        "request": {
            "method": exchange.method,
            "url": redact_url(exchange.url),
            "identity": exchange.identity,
            "headers": [[k, v] for k, v in redact_headers(exchange.request_headers) if k.lower() not in _SKIP_HEADERS],
            "body": _body_text(exchange.request_body, req_type),
        },
        "response": {
            "status": exchange.status,
            "headers": [[k, v] for k, v in resp_headers],
            "body": _body_text(exchange.body, exchange.header("content-type")),
            "elapsed_ms": round(exchange.elapsed_ms, 1),
        },
    }


def redacted_value(name: str, value: Any) -> Any:
    return REDACTED if is_secret_name(name) else redact_mapping(value)
