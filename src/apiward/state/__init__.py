"""Layer 1 — shared state (rate-limit counters, block lists, detector state): memory and Redis backends."""

from apiward.state._backend import RateResult, StateBackend
from apiward.state._memory import MemoryBackend
from apiward.state._open import open_backend
from apiward.state._rate import Rate
from apiward.state._redis import RedisBackend

__all__ = ["MemoryBackend", "Rate", "RateResult", "RedisBackend", "StateBackend", "open_backend"]
