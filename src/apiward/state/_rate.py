"""``Rate``: the answer of a rate-limit check, and the pure arithmetic the in-memory backend uses.

The Redis backend runs the same arithmetic in Lua (see ``_redis_scripts.py``) so both backends agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Rate", "sliding_window_step", "token_bucket_step"]


@dataclass(frozen=True, slots=True)
class Rate:
    """Implements :class:`apiward.state.RateResult`."""

    allowed: bool
    limit: int
    remaining: int
    reset_s: float
    retry_after_s: float


def token_bucket_step(
    tokens: float | None, last: float, now: float, *, rate_per_s: float, burst: int, cost: int
) -> tuple[float, Rate]:
    """Refill a bucket holding ``tokens`` (``None`` = new, full) since ``last`` and take ``cost``.

    Returns the new token count and the answer.
    """
    level = float(burst) if tokens is None else min(float(burst), tokens + max(0.0, now - last) * rate_per_s)
    allowed = level >= cost
    if allowed:
        level -= cost
    reset = (burst - level) / rate_per_s
    retry = 0.0 if allowed else (cost - level) / rate_per_s
    return level, Rate(allowed, burst, max(0, math.floor(level)), reset, retry)


def sliding_window_step(
    previous: int, current: int, elapsed: float, *, limit: int, window_s: float, cost: int
) -> tuple[bool, Rate]:
    """Weighted two-window estimate (the previous window's count decays linearly over the current one).

    ``elapsed`` is the time since the current window started. Constant memory per key, unlike a log
    of timestamps, at the price of assuming hits were spread evenly over the previous window.
    Returns whether to count the hit, and the answer.
    """
    weight = (window_s - elapsed) / window_s
    estimate = previous * weight + current
    allowed = estimate + cost <= limit
    if allowed:
        estimate += cost
        current += cost
    remaining = max(0, math.floor(limit - estimate))
    reset = window_s - elapsed if previous == 0 else 2 * window_s - elapsed
    retry = 0.0
    if not allowed:
        if current + cost > limit:
            # Not enough room even once the previous window has decayed: wait for the next window,
            # where this window's count decays in turn.
            need = 1.0 - (limit - cost) / current if current else 0.0
            retry = (window_s - elapsed) + max(0.0, window_s * need)
        else:
            # The previous window must decay until previous * w + current + cost <= limit.
            target_weight = (limit - cost - current) / previous
            retry = max(0.0, (1.0 - target_weight) * window_s - elapsed)
    return allowed, Rate(allowed, limit, remaining, reset, retry)
