"""ANL-EXFIL-001 — response volume far above the principal's own baseline (scraping, exfiltration)."""

from __future__ import annotations

from dataclasses import dataclass

from apiward.analytics._baseline import Baseline
from apiward.analytics._detector import Detection, DetectorInfo
from apiward.analytics._signals import alert_due, principal_of
from apiward.core import Confidence, Cwe, OwaspApi2023, SecurityEvent, Severity
from apiward.state import StateBackend

__all__ = ["Exfiltration", "ExfiltrationSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExfiltrationSettings:
    window_s: float = 300.0
    factor: float = 5.0  # x the principal's mean
    sigmas: float = 4.0  # and this many standard deviations above it
    floor_bytes: int = 1 << 20  # never alert below this volume per window
    warmup_windows: int = 3  # active windows before the baseline is trusted
    hard_cap_bytes: int = 200 << 20  # alert above this whatever the baseline (new principals)
    #: after an alert, the same principal alerts again only after this much quiet (event time)
    cooldown_s: float = 900.0


class Exfiltration:
    """Scraping and data exfiltration.

    Sums response bytes per principal and window and compares the window with the principal's own
    baseline (EWMA of its active windows): far above its mean *and* several deviations above it. New
    principals without a baseline are held to an absolute cap.
    """

    info = DetectorInfo(
        id="ANL-EXFIL-001",
        name="exfiltration",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        owasp=OwaspApi2023.API3,
        cwe=Cwe(200),
    )

    def __init__(self, settings: ExfiltrationSettings | None = None) -> None:
        self.settings = settings or ExfiltrationSettings()
        self._baseline = Baseline("bytes", window_s=self.settings.window_s)

    async def observe(self, event: SecurityEvent, state: StateBackend) -> Detection | None:
        principal = principal_of(event)
        if principal is None or not event.response_bytes:
            return None
        s = self.settings
        view = await self._baseline.add(state, principal.key, event.timestamp, event.response_bytes)
        anomalous = view.exceeds(factor=s.factor, sigmas=s.sigmas, floor=s.floor_bytes, warmup=s.warmup_windows)
        if not anomalous and view.current < s.hard_cap_bytes:
            return None
        if not await alert_due(state, self.info.id, principal.key, event.timestamp, s):
            return None
        return Detection(
            principal=principal,
            reason=f"{principal.kind} {principal.value} received {view.current / 1e6:.1f} MB in {s.window_s:g}s "
            f"(own baseline {view.mean / 1e6:.2f} MB ± {view.std / 1e6:.2f} over {view.windows} windows)",
            evidence={
                "bytes": int(view.current),
                "baseline_mean": round(view.mean),
                "baseline_std": round(view.std),
                "baseline_windows": view.windows,
            },
        )
