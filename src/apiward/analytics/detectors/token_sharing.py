"""ANL-TOKEN-001 — one token used from many IP addresses or user agents."""

from __future__ import annotations

from dataclasses import dataclass

from apiward.analytics._detector import Detection, DetectorInfo, Principal
from apiward.analytics._signals import alert_due, bucket
from apiward.core import Confidence, Cwe, OwaspApi2023, SecurityEvent, Severity
from apiward.state import StateBackend

__all__ = ["TokenSharing", "TokenSharingSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenSharingSettings:
    window_s: float = 600.0
    ips: int = 5
    user_agents: int = 5
    #: after an alert, the same principal alerts again only after this much quiet (event time)
    cooldown_s: float = 900.0


class TokenSharing:
    """Token sharing or theft.

    Counts the distinct client IPs and user agents presenting one token (by fingerprint) in a window.
    A token lives in one app on one device, maybe two networks; one seen from five places is shared,
    leaked or replayed.
    """

    info = DetectorInfo(
        id="ANL-TOKEN-001",
        name="token-sharing",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        owasp=OwaspApi2023.API2,
        cwe=Cwe(294),
    )

    def __init__(self, settings: TokenSharingSettings | None = None) -> None:
        self.settings = settings or TokenSharingSettings()

    async def observe(self, event: SecurityEvent, state: StateBackend) -> Detection | None:
        token = event.identity.token_fingerprint if event.identity else None
        if not token:
            return None
        s = self.settings
        b = bucket(event.timestamp, s.window_s)
        ips = (
            await state.add_distinct(f"tok:{token}:{b}:ip", event.client_ip, ttl_s=s.window_s * 2)
            if event.client_ip
            else 0
        )
        agents = (
            await state.add_distinct(f"tok:{token}:{b}:ua", event.user_agent, ttl_s=s.window_s * 2)
            if event.user_agent
            else 0
        )
        if ips < s.ips and agents < s.user_agents:
            return None
        if not await alert_due(state, self.info.id, token, event.timestamp, s):
            return None
        subject = event.identity.subject if event.identity else "?"
        return Detection(
            principal=Principal("token", token),
            reason=f"token {token} of {subject} used from {ips} IPs and {agents} user agents within {s.window_s:g}s",
            evidence={"subject": subject, "distinct_ips": ips, "distinct_user_agents": agents},
        )
