"""ANL-AUTH-001 — failed logins from one IP across many usernames (credential stuffing / spraying)."""

from __future__ import annotations

from dataclasses import dataclass

from apiward.analytics._detector import Detection, DetectorInfo, Principal
from apiward.analytics._signals import alert_due, attempted_username, bucket, is_failed_login
from apiward.core import Confidence, Cwe, OwaspApi2023, SecurityEvent, Severity
from apiward.state import StateBackend

__all__ = ["CredentialStuffing", "CredentialStuffingSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CredentialStuffingSettings:
    window_s: float = 600.0
    #: failed logins from one IP in a window
    failures: int = 20
    #: distinct usernames among them (when the gateway records them)
    usernames: int = 8
    #: failures from one IP that are brute force even when usernames are unknown
    failures_without_usernames: int = 50
    #: after an alert, the same principal alerts again only after this much quiet (event time)
    cooldown_s: float = 900.0


class CredentialStuffing:
    """Credential stuffing and password spraying.

    Counts, per client IP and window, failed logins and the distinct usernames they tried. A person
    mistyping a password fails a few times with one name; a stuffing list fails many times over many names.
    """

    info = DetectorInfo(
        id="ANL-AUTH-001",
        name="credential-stuffing",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        owasp=OwaspApi2023.API2,
        cwe=Cwe(307),
    )

    def __init__(self, settings: CredentialStuffingSettings | None = None) -> None:
        self.settings = settings or CredentialStuffingSettings()

    async def observe(self, event: SecurityEvent, state: StateBackend) -> Detection | None:
        if not event.client_ip or not is_failed_login(event):
            return None
        s = self.settings
        b = bucket(event.timestamp, s.window_s)
        key = f"stuff:{event.client_ip}:{b}"
        failures = await state.incr(key, ttl_s=s.window_s * 2)
        username = attempted_username(event)
        names = await state.add_distinct(f"{key}:users", username, ttl_s=s.window_s * 2) if username else 0
        stuffing = failures >= s.failures and names >= s.usernames
        if not stuffing and failures < s.failures_without_usernames:
            return None
        if not await alert_due(state, self.info.id, event.client_ip, event.timestamp, s):
            return None
        what = "credential stuffing" if stuffing else "login brute force"
        principal = Principal("ip", event.client_ip)
        return Detection(
            principal=principal,
            reason=f"{what}: {failures} failed logins for {names} usernames from {event.client_ip} "
            f"within {s.window_s:g}s",
            evidence={"failed_logins": failures, "distinct_usernames": names, "pattern": what},
        )
