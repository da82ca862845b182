"""The admin endpoints, on their own port and behind a bearer token.

``GET /healthz`` (alive), ``GET /readyz`` (config loaded, state backend reachable), ``GET /metrics``
(Prometheus), ``GET /config`` (version, source, reload count, last error), ``POST /reload``,
``POST /blocklist`` (``{"kind": "ip|token|identity", "value": …, "ttl_s": …, "reason": …}``),
``DELETE /blocklist`` (``{"kind": …, "value": …}``: lift a block early).
"""

from __future__ import annotations

import hmac
import time
from typing import TYPE_CHECKING, Any

import orjson

from apiward.gateway._http1 import RawRequest, RawResponse
from apiward.gateway._metrics import CONTENT_TYPE
from apiward.gateway._problem import PROBLEM_TYPE, problem_body
from apiward.gateway.policies.blocklist import KINDS

if TYPE_CHECKING:
    from apiward.gateway._serve import Gateway

__all__ = ["AdminHandler"]

_JSON = "application/json"


def _json(status: int, doc: Any) -> RawResponse:
    return RawResponse(status, [("Content-Type", _JSON), ("Cache-Control", "no-store")], orjson.dumps(doc))


def _problem(status: int, headers: list[tuple[str, str]] | None = None) -> RawResponse:
    return RawResponse(status, [("Content-Type", PROBLEM_TYPE), *(headers or [])], problem_body(status))


class AdminHandler:
    def __init__(self, gateway: Gateway, *, token: str, public_probes: bool) -> None:
        self._gateway = gateway
        self._token = f"Bearer {token}".encode()
        self._public_probes = public_probes

    def _authorised(self, raw: RawRequest) -> bool:
        for k, v in raw.headers:
            if k.lower() == "authorization":
                return hmac.compare_digest(v.strip().encode("latin-1", "replace"), self._token)
        return False

    async def __call__(self, raw: RawRequest) -> RawResponse:
        path = raw.target.partition("?")[0]
        probe = path in ("/healthz", "/readyz")
        if not (probe and self._public_probes) and not self._authorised(raw):
            return _problem(401, [("WWW-Authenticate", 'Bearer realm="apiward-admin"')])
        route = (raw.method, path)
        gateway = self._gateway
        if route == ("GET", "/healthz"):
            return _json(200, {"status": "ok"})
        if route == ("GET", "/readyz"):
            ready, why = await gateway.ready()
            return _json(200 if ready else 503, {"status": "ready" if ready else "not ready", "reason": why})
        if route == ("GET", "/metrics"):
            return RawResponse(200, [("Content-Type", CONTENT_TYPE)], gateway.metrics.render())
        if route == ("GET", "/config"):
            return _json(200, gateway.config_status())
        if route == ("POST", "/reload"):
            ok = await gateway.reload()
            return _json(200 if ok else 409, gateway.config_status())
        if route == ("POST", "/blocklist"):
            return await self._block(raw)
        if route == ("DELETE", "/blocklist"):
            return await self._unblock(raw)
        return _problem(404)

    async def _block(self, raw: RawRequest) -> RawResponse:
        try:
            doc = orjson.loads(raw.body)
            kind, value, ttl = str(doc["kind"]), str(doc["value"]), float(doc.get("ttl_s", 3600))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return _problem(400)
        if kind not in KINDS or not value or not 0 < ttl <= 365 * 86400:
            return _problem(400)
        reason = str(doc.get("reason") or f"admin {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
        await self._gateway.state.block(kind, value, ttl_s=ttl, reason=reason[:200])
        return _json(201, {"kind": kind, "ttl_s": ttl})

    async def _unblock(self, raw: RawRequest) -> RawResponse:
        try:
            doc = orjson.loads(raw.body)
            kind, value = str(doc["kind"]), str(doc["value"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return _problem(400)
        if kind not in KINDS or not value:
            return _problem(400)
        found = await self._gateway.state.unblock(kind, value)
        return _json(200 if found else 404, {"kind": kind, "unblocked": found})
