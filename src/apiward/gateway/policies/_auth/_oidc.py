"""OIDC discovery: ``{issuer}/.well-known/openid-configuration`` → ``jwks_uri`` (and introspection endpoint)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from apiward.core import TargetError, redact_url

__all__ = ["Discovery"]

#: A key or token service slower than this is treated as unavailable (the request waits on it).
_TIMEOUT_S = 5.0


class Discovery:
    """Fetches the provider metadata once (on first use) and checks that it names the expected issuer."""

    def __init__(self, http: httpx.AsyncClient, issuer: str) -> None:
        self._http = http
        self.issuer = issuer.rstrip("/")
        self._metadata: dict[str, Any] | None = None
        self._lock = asyncio.Lock()

    @property
    def url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is not None:
            return self._metadata
        async with self._lock:
            if self._metadata is None:
                self._metadata = await self._fetch()
            return self._metadata

    async def jwks_uri(self) -> str:
        return str((await self.metadata())["jwks_uri"])

    async def _fetch(self) -> dict[str, Any]:
        try:
            response = await self._http.get(self.url, headers={"Accept": "application/json"}, timeout=_TIMEOUT_S)
        except httpx.HTTPError as exc:
            raise TargetError(f"OIDC discovery {redact_url(self.url)} unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise TargetError(f"OIDC discovery {redact_url(self.url)} answered {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise TargetError(f"OIDC discovery {redact_url(self.url)} is not JSON") from exc
        if not isinstance(data, dict) or not isinstance(data.get("jwks_uri"), str):
            raise TargetError(f"OIDC discovery {redact_url(self.url)} has no jwks_uri")
        # OpenID Connect Discovery 1.0 §4.3: the issuer in the metadata MUST equal the one we asked.
        if str(data.get("issuer", "")).rstrip("/") != self.issuer:
            raise TargetError(f"OIDC discovery {redact_url(self.url)} names another issuer")
        return data
