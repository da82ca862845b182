"""Optional remediation: put the offender on the gateway's block list (with a TTL) and call a webhook."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from apiward.analytics._detector import Detection, DetectorInfo
from apiward.core import ConfigError, SecurityEvent, Severity, redact_url, spawn
from apiward.state import StateBackend

__all__ = ["Remediation", "RemediationSettings"]

log = logging.getLogger("apiward.analytics")


@dataclass(frozen=True, slots=True, kw_only=True)
class RemediationSettings:
    block: bool = True
    block_ttl_s: float = 900.0
    #: only detections at or above this severity act
    min_severity: Severity = Severity.HIGH
    #: detector ids allowed to act (``None``: all)
    detectors: frozenset[str] | None = None
    #: POST each acting detection (JSON) here; delivery is in the background and never delays a request
    webhook_url: str | None = None
    webhook_timeout_s: float = 5.0
    #: never block these: ``identity:svc-monitor``, ``token:sha256:…``, an IP, or a CIDR (``10.0.0.0/8``)
    never_block: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for entry in self.never_block:
            if ":" not in entry or entry.split(":", 1)[0] not in ("identity", "token", "ip"):
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ConfigError(
                        f"never_block entry {entry!r}: use identity:NAME, token:FINGERPRINT, ip:ADDRESS or a CIDR",
                        pointer="remediation.never_block",
                    ) from None

    def exempt(self, kind: str, value: str) -> bool:
        """True when ``value`` (of ``kind``) must never be blocked."""
        for entry in self.never_block:
            if entry == f"{kind}:{value}":
                return True
            if kind == "ip":
                try:
                    if ipaddress.ip_address(value) in ipaddress.ip_network(entry.removeprefix("ip:"), strict=False):
                        return True
                except ValueError:
                    continue
        return False


class Remediation:
    def __init__(
        self,
        state: StateBackend,
        settings: RemediationSettings | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings or RemediationSettings()
        self._state = state
        self._client: httpx.AsyncClient | None = None
        self._transport = transport
        self._pending: set[asyncio.Task[Any]] = set()
        self.webhook_failures = 0
        self.webhook_deliveries = 0

    def acts_on(self, info: DetectorInfo) -> bool:
        s = self.settings
        return info.severity >= s.min_severity and (s.detectors is None or info.id in s.detectors)

    async def block(self, info: DetectorInfo, detection: Detection) -> tuple[str, ...]:
        """Block the detection's target; returns what was done, for the alert's record."""
        s = self.settings
        if not s.block or not self.acts_on(info):
            return ()
        target = detection.block or detection.principal
        if s.exempt(target.kind, target.value):
            return (f"not blocked: {target.kind} {target.value} is exempt",)
        await self._state.block(target.kind, target.value, ttl_s=s.block_ttl_s, reason=f"{info.id}: {detection.reason}")
        return (f"blocked {target.kind} {target.value} for {s.block_ttl_s:g}s",)

    def notify(self, info: DetectorInfo, alert: SecurityEvent) -> None:
        """Deliver the alert to the webhook in the background."""
        if self.settings.webhook_url is None or not self.acts_on(info):
            return
        task = spawn(self._post(alert), name=f"apiward-remediation-webhook:{alert.id}")
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _post(self, alert: SecurityEvent) -> None:
        url = self.settings.webhook_url
        if url is None:
            return
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.settings.webhook_timeout_s, transport=self._transport)
        try:
            response = await self._client.post(
                url, content=orjson.dumps({"alert": alert.to_dict()}), headers={"content-type": "application/json"}
            )
            response.raise_for_status()
            self.webhook_deliveries += 1
        except httpx.HTTPError as exc:
            self.webhook_failures += 1
            log.warning("remediation webhook %s failed: %s", redact_url(url), exc)

    async def aclose(self) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
