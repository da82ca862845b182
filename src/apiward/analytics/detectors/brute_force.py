"""ANL-AUTH-002 — many failed logins against one username (from one IP or many)."""

from __future__ import annotations

from dataclasses import dataclass

from apiward.analytics._detector import Detection, DetectorInfo, Principal
from apiward.analytics._signals import alert_due, attempted_username, bucket, is_failed_login
from apiward.core import Confidence, Cwe, OwaspApi2023, SecurityEvent, Severity
from apiward.state import StateBackend

__all__ = ["BruteForce", "BruteForceSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BruteForceSettings:
    window_s: float = 600.0
    failures: int = 10
    #: after an alert, the same principal alerts again only after this much quiet (event time)
    cooldown_s: float = 900.0


class BruteForce:
    """Password brute force against one account.

    Counts failed logins per attempted username and window, whatever the source IP, so a distributed
    guess against one account is seen too. Remediation blocks the attacking IP, never the victim account.
    """

    info = DetectorInfo(
        id="ANL-AUTH-002",
        name="brute-force",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        owasp=OwaspApi2023.API2,
        cwe=Cwe(307),
    )

    def __init__(self, settings: BruteForceSettings | None = None) -> None:
        self.settings = settings or BruteForceSettings()

    async def observe(self, event: SecurityEvent, state: StateBackend) -> Detection | None:
        if not is_failed_login(event):
            return None
        username = attempted_username(event)
        if username is None:
            return None
        s = self.settings
        b = bucket(event.timestamp, s.window_s)
        failures = await state.incr(f"brute:{username}:{b}", ttl_s=s.window_s * 2)
        if failures < s.failures or not await alert_due(state, self.info.id, username, event.timestamp, s):
            return None
        return Detection(
            principal=Principal("identity", username),
            block=Principal("ip", event.client_ip) if event.client_ip else None,
            reason=f"{failures} failed logins for user {username!r} within {s.window_s:g}s",
            evidence={"username": username, "failed_logins": failures, "last_ip": event.client_ip},
        )
