"""ANL-BOLA-002 — a walk through consecutive numeric object ids."""

from __future__ import annotations

from dataclasses import dataclass

from apiward.analytics._detector import Detection, DetectorInfo
from apiward.analytics._signals import cooled_down, object_ids, once, principal_of
from apiward.core import Confidence, Cwe, OwaspApi2023, SecurityEvent, Severity
from apiward.state import StateBackend

__all__ = ["SequentialIdWalk", "SequentialIdWalkSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SequentialIdWalkSettings:
    #: consecutive +1 (or -1) steps that count as a walk
    run: int = 10
    #: the walk state expires after this much silence
    idle_s: float = 300.0
    #: after an alert, the same principal alerts again only after this much quiet (event time)
    cooldown_s: float = 900.0


class SequentialIdWalk:
    """Sequential-id walk.

    Tracks, per principal, operation and numeric path parameter, how many requests in a row moved the id
    by exactly one in the same direction. Clients follow links; scripts iterate ``for id in range(...)``.
    """

    info = DetectorInfo(
        id="ANL-BOLA-002",
        name="sequential-id-walk",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        owasp=OwaspApi2023.API1,
        cwe=Cwe(639),
    )

    def __init__(self, settings: SequentialIdWalkSettings | None = None) -> None:
        self.settings = settings or SequentialIdWalkSettings()

    async def observe(self, event: SecurityEvent, state: StateBackend) -> Detection | None:
        principal = principal_of(event)
        if principal is None or event.operation is None:
            return None
        s = self.settings
        for name, value in object_ids(event).items():
            if not value.isdigit() or len(value) > 18:
                continue
            current = int(value)
            key = f"seq:{principal.key}:{event.operation.key}:{name}"
            raw = await state.get(key)
            last, step, run = (int(x) for x in raw.split()) if raw else (None, 0, 0)
            delta = current - last if last is not None else 0
            if delta == 0 and last is not None:
                continue
            if delta in (1, -1) and (step in (0, delta)):
                run += 1
            else:
                run = 1
            await state.set(key, f"{current} {delta if delta in (1, -1) else 0} {run}", ttl_s=s.idle_s)
            walk = f"{self.info.id}:{key}:{current - delta * (run - 1)}"  # one alert per walk
            if (
                run >= s.run
                and await once(state, walk, ttl_s=s.idle_s)
                and await cooled_down(
                    state, f"{self.info.id}:{key}", timestamp=event.timestamp, cooldown_s=s.cooldown_s
                )
            ):
                return Detection(
                    principal=principal,
                    reason=f"{principal.kind} {principal.value} walked {run} consecutive ids of "
                    f"{event.operation.key} ({name} up to {current})",
                    evidence={"operation": event.operation.key, "parameter": name, "run": run, "last_id": current},
                )
        return None
