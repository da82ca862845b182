"""Layer 1 — shared state (rate-limit counters, block lists, detector state): memory and Redis backends."""

from apiward.state._backend import RateResult, StateBackend

__all__ = ["RateResult", "StateBackend"]
