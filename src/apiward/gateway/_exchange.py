"""``Exchange``: one request/response passing through the gateway's policies (mutable, per request)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from apiward.core import HttpRequest, HttpResponse, Identity

if TYPE_CHECKING:
    from apiward.spec import ApiOperation

__all__ = ["Exchange"]


@dataclass(slots=True, kw_only=True)
class Exchange:
    """What policies read and write while a request is in flight.

    ``request`` is the parsed client request (body already read within the configured bound).
    ``operation``/``path_params`` come from the spec router (``None`` for unknown paths when allowed).
    ``identity`` is set by authentication. ``response`` is set once the upstream answered, and
    response policies may replace it (e.g. masked body, added headers). ``upstream_headers`` are
    extra headers to send upstream (e.g. a phantom-token JWT). ``matched_rules`` collects rule ids
    that fired in any mode; ``notes`` carries facts for the audit event.
    """

    request: HttpRequest
    operation: ApiOperation | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    identity: Identity | None = None
    credential: str | None = None  # the raw credential, for policies only; never logged
    response: HttpResponse | None = None
    upstream_headers: dict[str, str] = field(default_factory=dict)
    response_headers: dict[str, str] = field(default_factory=dict)
    matched_rules: list[str] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    @property
    def route_key(self) -> str | None:
        """``operationId`` or ``"METHOD /template"`` of the matched operation, for per-route options."""
        if self.operation is None:
            return None
        return self.operation.operation_id or f"{self.operation.method} {self.operation.path}"
