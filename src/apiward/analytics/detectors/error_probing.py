"""ANL-PROBE-001 — a burst of 4xx answers for one principal (probing, fuzzing, forced browsing)."""

from __future__ import annotations

from dataclasses import dataclass

from apiward.analytics._detector import Detection, DetectorInfo
from apiward.analytics._signals import alert_due, bucket, principal_of
from apiward.core import Confidence, Cwe, OwaspApi2023, SecurityEvent, Severity
from apiward.state import StateBackend

__all__ = ["ErrorProbing", "ErrorProbingSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorProbingSettings:
    window_s: float = 60.0
    errors: int = 30  # 4xx answers in a window
    ratio: float = 0.5  # and at least this share of the principal's requests
    #: after an alert, the same principal alerts again only after this much quiet (event time)
    cooldown_s: float = 900.0


class ErrorProbing:
    """Error probing.

    Counts 4xx answers and all requests per principal and window. Clients following the documented API
    rarely see client errors; scanners, fuzzers and forced browsing produce bursts of 400/403/404/405.
    """

    info = DetectorInfo(
        id="ANL-PROBE-001",
        name="error-probing",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        owasp=OwaspApi2023.API8,
        cwe=Cwe(200),
    )

    def __init__(self, settings: ErrorProbingSettings | None = None) -> None:
        self.settings = settings or ErrorProbingSettings()

    async def observe(self, event: SecurityEvent, state: StateBackend) -> Detection | None:
        principal = principal_of(event)
        if principal is None or event.status is None:
            return None
        s = self.settings
        b = bucket(event.timestamp, s.window_s)
        key = f"probe:{principal.key}:{b}"
        total = await state.incr(f"{key}:all", ttl_s=s.window_s * 2)
        if not 400 <= event.status < 500:
            return None
        errors = await state.incr(f"{key}:4xx", ttl_s=s.window_s * 2)
        if errors < s.errors or errors < s.ratio * total:
            return None
        if not await alert_due(state, self.info.id, principal.key, event.timestamp, s):
            return None
        return Detection(
            principal=principal,
            reason=f"{principal.kind} {principal.value} got {errors} client errors out of {total} requests "
            f"within {s.window_s:g}s",
            evidence={"client_errors": errors, "requests": total, "last_status": event.status},
        )
