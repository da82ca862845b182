"""``RequestSpec`` (what to send) and ``Exchange`` (what was sent and what came back)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Final

from apiward.spec import ApiOperation

__all__ = ["NO_BODY", "Exchange", "RequestSpec"]


class _NoBody:
    def __repr__(self) -> str:
        return "NO_BODY"


#: Sentinel for "no JSON body" (distinct from a JSON ``null`` body).
NO_BODY: Final = _NoBody()


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestSpec:
    """A request before authentication is applied. ``path`` is concrete and relative to the target."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    json: Any = NO_BODY
    form: tuple[tuple[str, str], ...] | None = None
    content: bytes | None = None
    content_type: str | None = None
    operation: ApiOperation | None = field(default=None, compare=False, repr=False)

    def replace(self, **changes: Any) -> RequestSpec:
        return dataclasses.replace(self, **changes)

    def with_header(self, name: str, value: str) -> RequestSpec:
        kept = tuple((k, v) for k, v in self.headers if k.lower() != name.lower())
        return self.replace(headers=(*kept, (name, value)))

    def with_query(self, name: str, value: str) -> RequestSpec:
        kept = tuple((k, v) for k, v in self.query if k != name)
        return self.replace(query=(*kept, (name, value)))

    def with_cookie(self, name: str, value: str) -> RequestSpec:
        kept = tuple((k, v) for k, v in self.cookies if k != name)
        return self.replace(cookies=(*kept, (name, value)))

    @property
    def has_json(self) -> bool:
        return self.json is not NO_BODY


@dataclass(frozen=True, slots=True, kw_only=True)
class Exchange:
    """One request as sent (after auth) and its response. ``data`` is the parsed JSON body or ``None``."""

    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    elapsed_ms: float
    identity: str | None = None
    spec: RequestSpec | None = field(default=None, compare=False, repr=False)
    data: Any = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str, default: str | None = None) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), default)

    def header_all(self, name: str) -> list[str]:
        lowered = name.lower()
        return [v for k, v in self.headers if k.lower() == lowered]

    @staticmethod
    def parse_json(body: bytes, content_type: str | None) -> Any:
        if not body or (content_type and "json" not in content_type.lower()):
            return None
        try:
            return json.loads(body)
        except ValueError:
            return None
