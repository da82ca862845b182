"""A principal's own baseline: an exponentially weighted mean and variance of its per-window totals.

Only windows in which the principal was active count, so an occasional user is compared with their own
active windows rather than with hours of silence. The current window's total is an atomic counter; the
baseline (mean, variance, windows seen) is folded in when the principal's first event of a newer window
arrives. Baseline updates are last-writer-wins across instances — an approximation that is fine for a
mean over minutes, and avoids a server-side script per request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from apiward.analytics._signals import bucket
from apiward.state import StateBackend

__all__ = ["Baseline", "BaselineView"]


@dataclass(frozen=True, slots=True)
class BaselineView:
    current: float  # total in the current window, this event included
    mean: float
    std: float
    windows: int  # completed active windows folded into the baseline

    def exceeds(self, *, factor: float, sigmas: float, floor: float, warmup: int) -> bool:
        """Anomalous: past warm-up, above ``floor``, ``factor`` x the mean and ``sigmas`` std above it."""
        if self.windows < warmup or self.current < floor:
            return False
        return self.current > self.mean * factor and self.current > self.mean + sigmas * self.std


class Baseline:
    def __init__(self, name: str, *, window_s: float, alpha: float = 0.2, keep_s: float = 7 * 86400) -> None:
        self._name = name
        self._window_s = window_s
        self._alpha = alpha
        self._keep_s = keep_s

    async def add(self, state: StateBackend, principal: str, timestamp: float, amount: float) -> BaselineView:
        b = bucket(timestamp, self._window_s)
        prefix = f"bl:{self._name}:{principal}"
        current = await state.incr(f"{prefix}:{b}", int(amount), ttl_s=self._window_s * 3)
        raw = await state.get(f"{prefix}:stats")
        last, mean, var, n = _parse(raw)
        if last is None or b > last:
            if last is not None:
                previous = await state.get(f"{prefix}:{last}")
                if previous is not None:
                    mean, var, n = _fold(mean, var, n, float(previous), self._alpha)
            await state.set(f"{prefix}:stats", f"{b} {mean!r} {var!r} {n}", ttl_s=self._keep_s)
        return BaselineView(current=float(current), mean=mean, std=math.sqrt(max(var, 0.0)), windows=n)


def _parse(raw: str | None) -> tuple[int | None, float, float, int]:
    if not raw:
        return None, 0.0, 0.0, 0
    try:
        last, mean, var, n = raw.split()
        return int(last), float(mean), float(var), int(n)
    except ValueError:
        return None, 0.0, 0.0, 0


def _fold(mean: float, var: float, n: int, x: float, alpha: float) -> tuple[float, float, int]:
    """EWMA update; the first windows weigh 1/(n+1) so the baseline starts as a plain mean."""
    weight = max(alpha, 1.0 / (n + 1))
    diff = x - mean
    incr = weight * diff
    return mean + incr, (1 - weight) * (var + diff * incr), n + 1
