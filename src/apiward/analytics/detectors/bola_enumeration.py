"""ANL-BOLA-001 — one principal touching many distinct object ids of one operation."""

from __future__ import annotations

from dataclasses import dataclass

from apiward.analytics._detector import Detection, DetectorInfo
from apiward.analytics._signals import alert_due, bucket, object_ids, principal_of
from apiward.core import Confidence, Cwe, OwaspApi2023, SecurityEvent, Severity
from apiward.state import StateBackend

__all__ = ["BolaEnumeration", "BolaEnumerationSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BolaEnumerationSettings:
    window_s: float = 300.0
    #: distinct ids of one operation in a window that count as enumeration
    distinct_ids: int = 50
    #: distinct ids answered 403/404 in a window (probing other people's objects) — a stronger signal
    denied_ids: int = 10
    #: after an alert, the same principal alerts again only after this much quiet (event time)
    cooldown_s: float = 900.0


class BolaEnumeration:
    """Object enumeration (BOLA probing).

    Counts, per principal and operation with a path parameter, the distinct object ids requested in a
    window, and separately those answered 403 or 404. Real users revisit a handful of their own objects;
    an attacker walking other users' ids touches many, and most of them are refused.
    """

    info = DetectorInfo(
        id="ANL-BOLA-001",
        name="bola-enumeration",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        owasp=OwaspApi2023.API1,
        cwe=Cwe(639),
    )

    def __init__(self, settings: BolaEnumerationSettings | None = None) -> None:
        self.settings = settings or BolaEnumerationSettings()

    async def observe(self, event: SecurityEvent, state: StateBackend) -> Detection | None:
        ids = object_ids(event)
        principal = principal_of(event)
        if not ids or principal is None or event.operation is None:
            return None
        s = self.settings
        b = bucket(event.timestamp, s.window_s)
        op = event.operation.key
        member = "/".join(ids.values())
        key = f"bola:{principal.key}:{op}:{b}"
        distinct = await state.add_distinct(key, member, ttl_s=s.window_s * 2)
        denied = 0
        if event.status in (403, 404):
            denied = await state.add_distinct(f"{key}:denied", member, ttl_s=s.window_s * 2)
        if distinct < s.distinct_ids and denied < s.denied_ids:
            return None
        if not await alert_due(state, self.info.id, f"{principal.key}:{op}", event.timestamp, s):
            return None
        return Detection(
            principal=principal,
            reason=f"{principal.kind} {principal.value} requested {distinct} distinct objects of {op} "
            f"({denied} refused) within {s.window_s:g}s",
            evidence={"operation": op, "distinct_ids": distinct, "refused_ids": denied, "last_id": member},
        )
