"""The pipeline: order, modes, per-route modes, fail-closed on errors, completion hooks."""

from __future__ import annotations

from typing import Any, ClassVar

from apiward.core import Decision, HttpRequest
from apiward.gateway import Deny, Exchange, Mode, Pipeline
from apiward.gateway._pipeline import RULE_POLICY_ERROR
from apiward.spec import ApiOperation


class Raises:
    name: ClassVar[str] = "raises"

    def __init__(self, mode: Mode) -> None:
        self.mode = mode

    async def on_request(self, exchange: Exchange) -> Deny | None:
        raise RuntimeError("secret internal detail")


class Denies:
    name: ClassVar[str] = "denies"

    def __init__(self, mode: Mode, calls: list[str]) -> None:
        self.mode = mode
        self.calls = calls

    async def on_request(self, exchange: Exchange) -> Deny | None:
        self.calls.append("denies")
        return Deny(status=403, title="Forbidden", rule_id="T-1")


class Recorder:
    name: ClassVar[str] = "recorder"
    mode = Mode.ENFORCE

    def __init__(self) -> None:
        self.seen: list[Any] = []

    async def on_complete(self, exchange: Exchange) -> None:
        self.seen.append((exchange.notes["decision"], exchange.notes["status"]))
        raise ValueError("recorders cannot change the outcome")


def ex(route: str | None = None) -> Exchange:
    e = Exchange(request=HttpRequest(method="GET", path="/x"))
    if route:
        e.operation = ApiOperation(method="GET", path="/x", operation_id=route)
    return e


async def test_a_raising_policy_denies_and_records_why() -> None:
    recorder = Recorder()
    pipeline = Pipeline([Raises(Mode.ENFORCE), recorder])
    e = ex()
    deny = await pipeline.on_request(e)
    assert deny is not None
    assert (deny.status, deny.rule_id) == (503, RULE_POLICY_ERROR)
    assert "secret" not in (deny.detail or "")
    await pipeline.on_complete(e, status=503, deny=deny)
    assert e.notes["policy_errors"] == [{"policy": "raises", "error": "RuntimeError"}]
    assert recorder.seen == [(Decision.DENY, 503)]
    assert e.notes["recorder_errors"] == ["recorder: ValueError"]


async def test_a_raising_log_only_policy_is_recorded_and_passes() -> None:
    pipeline = Pipeline([Raises(Mode.LOG_ONLY)])
    e = ex()
    assert await pipeline.on_request(e) is None
    await pipeline.on_complete(e, status=200, deny=None)
    assert e.notes["decision"] is Decision.LOG
    assert e.matched_rules == [RULE_POLICY_ERROR]


async def test_first_enforced_denial_stops_later_policies() -> None:
    calls: list[str] = []
    pipeline = Pipeline([Denies(Mode.ENFORCE, calls), Denies(Mode.ENFORCE, calls)])
    assert (await pipeline.on_request(ex())) is not None
    assert calls == ["denies"]


async def test_off_policies_are_not_run_and_route_modes_override() -> None:
    calls: list[str] = []
    off = Denies(Mode.OFF, calls)
    pipeline = Pipeline([off], route_modes={"denies": {"guarded": Mode.ENFORCE}})
    assert await pipeline.on_request(ex()) is None
    assert calls == []
    assert await pipeline.on_request(ex("guarded")) is not None
    relaxed = Pipeline([Denies(Mode.ENFORCE, calls)], route_modes={"denies": {"public": Mode.LOG_ONLY}})
    e = ex("public")
    assert await relaxed.on_request(e) is None
    assert e.notes["log_only"] == [{"policy": "denies", "rule": "T-1", "status": 403}]
    assert Pipeline([Denies(Mode.OFF, calls)]).names == ()
