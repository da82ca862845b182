"""``Observation``: one request/response pair seen in traffic, whatever file it came from."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Observation"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Observation:
    method: str
    path: str  # no query string
    query: tuple[tuple[str, str], ...] = ()
    host: str | None = None
    status: int | None = None
    timestamp: float | None = None
    #: credentials were presented (Authorization, cookie, API key, an authenticated identity)
    authenticated: bool = False
    request_headers: tuple[tuple[str, str], ...] = ()
    request_content_type: str | None = None
    request_body: bytes | None = None
    response_content_type: str | None = None
    response_body: bytes | None = None
    response_bytes: int | None = None
    #: an operation already named by the producer (gateway events carry the matched template)
    template: str | None = None
    client: str | None = None  # subject, token fingerprint or IP, for per-endpoint client counts
    source: str = ""  # file:line or file#/json/pointer
