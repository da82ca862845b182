"""ANL-RATE-001 — a request rate far above the principal's own baseline."""

from __future__ import annotations

from dataclasses import dataclass

from apiward.analytics._baseline import Baseline
from apiward.analytics._detector import Detection, DetectorInfo
from apiward.analytics._signals import alert_due, principal_of
from apiward.core import Confidence, Cwe, OwaspApi2023, SecurityEvent, Severity
from apiward.state import StateBackend

__all__ = ["OffBaselineRate", "OffBaselineRateSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class OffBaselineRateSettings:
    window_s: float = 60.0
    factor: float = 5.0
    sigmas: float = 4.0
    floor: int = 120  # requests per window below which nothing is unusual
    warmup_windows: int = 3
    hard_cap: int = 3000  # requests per window that are unusual for anyone
    #: after an alert, the same principal alerts again only after this much quiet (event time)
    cooldown_s: float = 900.0


class OffBaselineRate:
    """Off-baseline request rate.

    Counts requests per principal and window and compares the window with the principal's own baseline
    (EWMA of its active windows). Complements fixed rate limits, which must be set for the heaviest
    legitimate client: this notices a light client suddenly behaving like a script.
    """

    info = DetectorInfo(
        id="ANL-RATE-001",
        name="off-baseline-rate",
        severity=Severity.MEDIUM,
        confidence=Confidence.LOW,
        owasp=OwaspApi2023.API4,
        cwe=Cwe(770),
    )

    def __init__(self, settings: OffBaselineRateSettings | None = None) -> None:
        self.settings = settings or OffBaselineRateSettings()
        self._baseline = Baseline("requests", window_s=self.settings.window_s)

    async def observe(self, event: SecurityEvent, state: StateBackend) -> Detection | None:
        principal = principal_of(event)
        if principal is None:
            return None
        s = self.settings
        view = await self._baseline.add(state, principal.key, event.timestamp, 1)
        anomalous = view.exceeds(factor=s.factor, sigmas=s.sigmas, floor=s.floor, warmup=s.warmup_windows)
        if not anomalous and view.current < s.hard_cap:
            return None
        if not await alert_due(state, self.info.id, principal.key, event.timestamp, s):
            return None
        return Detection(
            principal=principal,
            reason=f"{principal.kind} {principal.value} made {int(view.current)} requests in {s.window_s:g}s "
            f"(own baseline {view.mean:.1f} ± {view.std:.1f} over {view.windows} windows)",
            evidence={
                "requests": int(view.current),
                "baseline_mean": round(view.mean, 2),
                "baseline_std": round(view.std, 2),
                "baseline_windows": view.windows,
            },
        )
