"""Audit: one :class:`~apiward.core.SecurityEvent` per request, allowed or denied, to an event sink.

The event names the identity (never the credential), the operation, the decision, the rules that
matched (in any mode), latency and sizes, and — for denials — the policy's evidence. Secrets are
redacted by ``SecurityEvent`` itself and the query string goes through ``redact_url``. Emitting never
blocks the request: the sink (``apiward.events.open_sink``) spools and writes on its own thread.
"""

from __future__ import annotations

import collections
import itertools
import time
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote_plus

from apiward.core import Decision, Operation, SecurityEvent, Severity, is_secret_name, redact_url
from apiward.events import EventSink, Recorder, open_sink
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._options import check_options, policy_schema
from apiward.gateway._policy import Mode

if TYPE_CHECKING:
    from apiward.spec import ApiOperation

__all__ = ["NAME", "OPTIONS_SCHEMA", "Audit", "RecentEvents", "build"]

NAME = "audit"

OPTIONS_SCHEMA: dict[str, Any] = policy_schema(
    {
        "sink": {
            "type": "string",
            "default": "memory://",
            "description": "Event sink URL (apiward.events), e.g. 'jsonl:///var/log/apiward/events.jsonl', "
            "'sqlite:///…', 'postgresql://…'; 'memory://' keeps only the latest 'memory_events' in memory.",
        },
        "memory_events": {"type": "integer", "minimum": 1, "default": 10000},
        "instance": {"type": "string", "description": "Instance name stamped on every event (default: host name)."},
        "sample_allowed": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 1,
            "description": "Fraction of allowed requests recorded (denials and log-only hits are always recorded).",
        },
    },
    description="One SecurityEvent per request to an event sink (secrets redacted).",
)


class RecentEvents:
    """The default sink: the latest ``size`` events in memory (bounded, unlike a plain list)."""

    def __init__(self, size: int) -> None:
        self.events: collections.deque[SecurityEvent] = collections.deque(maxlen=size)

    def emit(self, event: SecurityEvent) -> None:
        self.events.append(event)

    async def start(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


#: Notes policies leave in ``exchange.notes`` that the event keeps (bounded by :func:`_bounded`, then
#: redacted by ``SecurityEvent``): the request id, log-only hits and denial evidence, attack families and
#: scores (``threat``), masked kinds, stripped or undocumented response fields, validation and scrubbing
#: facts, back-end and recorder errors.
_DETAIL_NOTES = (
    "request_id",
    "log_only",
    "evidence",
    "deny_detail",
    "policy_errors",
    "denied_by",
    "answered_by",
    "upstream_error",
    "client_gone",
    "response_streamed",
    "threat",
    "masked",
    "mask_skipped",
    "undocumented_fields",
    "undocumented_response",
    "response_violation",
    "response_validation_skipped",
    "scrubbed",
    "would_rewrite",
    "body_unchecked",
    "bearer_unclaimed",
    "ratelimit_backend_error",
    "blocklist_backend_error",
    "recorder_errors",
)
_DETAIL_KEYS = frozenset(_DETAIL_NOTES)
#: Bounds on what one event carries from the notes: clients choose much of it (field names, payloads).
_MAX_TEXT = 256
_MAX_ITEMS = 20
_MAX_DEPTH = 6


def _bounded(value: Any, depth: int = 0) -> Any:
    """JSON-like ``value`` cut to bounded size: long strings truncated, long lists/mappings shortened
    (with a ``"…"`` marker), deep nesting replaced by ``"…"``."""
    if isinstance(value, str):
        return value if len(value) <= _MAX_TEXT else value[:_MAX_TEXT] + "…"
    if value is None or isinstance(value, bool | int | float):
        return value
    if depth >= _MAX_DEPTH:
        return "…"
    if isinstance(value, Mapping):
        out = {str(k)[:_MAX_TEXT]: _bounded(v, depth + 1) for k, v in itertools.islice(value.items(), _MAX_ITEMS)}
        if len(value) > _MAX_ITEMS:
            out["…"] = f"{len(value) - _MAX_ITEMS} more"
        return out
    if isinstance(value, list | tuple | set | frozenset):
        items = [_bounded(v, depth + 1) for v in itertools.islice(value, _MAX_ITEMS)]
        if len(value) > _MAX_ITEMS:
            items.append(f"… {len(value) - _MAX_ITEMS} more")
        return items
    return _bounded(str(value), depth)


_SEVERITY = {Decision.ALLOW: Severity.INFO, Decision.LOG: Severity.LOW, Decision.DENY: Severity.MEDIUM}


class Audit:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext, *, sink: EventSink | None = None) -> None:
        opts = check_options(OPTIONS_SCHEMA, options, pointer=f"policies.{NAME}")
        self.mode: Mode = ctx.mode
        url = str(opts["sink"])
        self.sink: EventSink = sink or (
            RecentEvents(int(opts["memory_events"])) if url == "memory://" else open_sink(url)
        )
        # Extensions' sinks (behavioural analytics, …) get every recorded event too; they belong to the
        # gateway (started and closed by it), this policy only emits to them.
        self._emit = Recorder((self.sink, *ctx.extra_sinks)).emit if ctx.extra_sinks else self.sink.emit
        self._instance = opts.get("instance") or _hostname()
        self._sample = float(opts["sample_allowed"])
        self._seen = 0
        # Event ids: a random per-process prefix and a counter — unique like uuid4, without an os.urandom
        # call per request on the hot path.
        self._id_prefix = uuid.uuid4().hex[:16]
        self._ids = itertools.count()
        self._refs: dict[int, Operation] = {}

    def _ref(self, operation: ApiOperation) -> Operation:
        # Operations live as long as the model this policy was built with; build each ref once.
        ref = self._refs.get(id(operation))
        if ref is None:
            ref = self._refs[id(operation)] = operation.ref
        return ref

    async def start(self) -> None:
        await self.sink.start()

    async def aclose(self) -> None:
        await self.sink.aclose()

    def _sampled_out(self, decision: Decision) -> bool:
        if decision is not Decision.ALLOW or self._sample >= 1:
            return False
        self._seen += 1  # deterministic sampling: record when the running share crosses an integer
        return int(self._seen * self._sample) == int((self._seen - 1) * self._sample)

    async def on_complete(self, exchange: Exchange) -> None:
        notes = exchange.notes
        decision: Decision = notes.get("decision", Decision.ALLOW)
        if self._sampled_out(decision):
            return
        request = exchange.request
        response = exchange.response
        detail: dict[str, Any] = {}
        for key, value in notes.items():  # a few notes per request; cheaper than probing every known key
            if key in _DETAIL_KEYS:
                detail[key] = value if key == "request_id" else _bounded(value)
        if request.query:
            detail["query"] = _redact_query(request.query)
        self._emit(
            SecurityEvent(
                id=f"{self._id_prefix}{next(self._ids):016x}",
                kind="request",
                decision=decision,
                instance=self._instance,
                severity=_SEVERITY.get(decision, Severity.INFO),
                operation=self._ref(exchange.operation) if exchange.operation is not None else None,
                method=request.method,
                path=request.path,
                status=notes.get("status"),
                client_ip=request.client_ip,
                user_agent=request.header("user-agent"),
                identity=exchange.identity,
                matched_rules=tuple(exchange.matched_rules),
                reason=notes.get("reason"),
                latency_ms=round((time.perf_counter() - exchange.started) * 1000, 3),
                request_bytes=len(request.body),
                response_bytes=notes.get("response_bytes", len(response.body) if response is not None else 0),
                detail=detail,
            )
        )


_secret_names: dict[str, bool] = {}


def _is_secret_param(name: str) -> bool:
    known = _secret_names.get(name)
    if known is None:
        if len(_secret_names) > 4096:  # bounded: parameter names are few, but clients choose them
            _secret_names.clear()
        known = _secret_names[name] = is_secret_name(unquote_plus(name))
    return known


def _redact_query(query: str) -> str:
    """The query with secret-named parameters redacted; parsed only when a name looks secret (hot path)."""
    if any(_is_secret_param(pair.partition("=")[0]) for pair in query.split("&")):
        return redact_url("?" + query)[1:]
    return query


def _hostname() -> str:
    import socket

    return socket.gethostname()


def build(options: Mapping[str, Any], ctx: PolicyContext) -> Audit:
    return Audit(options, ctx)
