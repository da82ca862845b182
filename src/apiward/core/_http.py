"""Plain, framework-free views of HTTP messages shared by detect, scan, gateway and analytics."""

from __future__ import annotations

from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie

__all__ = ["HttpRequest", "HttpResponse"]


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpRequest:
    """A request as it arrived: raw path (no query), raw query string, headers in order, body bytes."""

    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    client_ip: str | None = None

    def header(self, name: str, default: str | None = None) -> str | None:
        """First value of a header, case-insensitive."""
        lowered = name.lower()
        for k, v in self.headers:
            if k.lower() == lowered:
                return v
        return default

    @property
    def content_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    @property
    def cookies(self) -> dict[str, str]:
        """Cookies from every ``Cookie`` header; malformed ones are skipped, never raised."""
        out: dict[str, str] = {}
        for k, v in self.headers:
            if k.lower() != "cookie":
                continue
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(v)
            except CookieError:
                for pair in v.split(";"):
                    name, _, val = pair.strip().partition("=")
                    if name:
                        out[name] = val
                continue
            out.update({name: morsel.value for name, morsel in jar.items()})
        return out

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpResponse:
    """A response: status, headers in order, body bytes and how long it took."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    elapsed_ms: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)

    def header(self, name: str, default: str | None = None) -> str | None:
        lowered = name.lower()
        for k, v in self.headers:
            if k.lower() == lowered:
                return v
        return default

    @property
    def content_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None
