"""Each of hygiene, ip, blocklist and ratelimit fails closed when it errs, in enforce mode; log-only lets it pass."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from apiward.core import Decision, HttpRequest
from apiward.gateway import Exchange, Mode, Pipeline, PolicyContext
from apiward.gateway._pipeline import RULE_POLICY_ERROR
from apiward.gateway.policies import blocklist, hygiene, ip, ratelimit
from apiward.state import MemoryBackend


class Exploding:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"broken dependency: {name}")


def _break(name: str, policy: Any) -> None:
    attribute = {"hygiene": "_model", "ip": "_global", "blocklist": "_state", "ratelimit": "_state"}[name]
    setattr(policy, attribute, Exploding())


BUILD = {
    "hygiene": (hygiene.build, {}),
    "ip": (ip.build, {"deny": ["192.0.2.0/24"]}),
    "blocklist": (blocklist.build, {}),
    "ratelimit": (ratelimit.build, {"limits": [{"requests": 1, "period_s": 1}]}),
}


@pytest.mark.parametrize("name", list(BUILD))
@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
async def test_policy_error_fails_closed(name: str, mode: Mode) -> None:
    build, options = BUILD[name]
    async with httpx.AsyncClient() as http:
        ctx = PolicyContext(mode=mode, model=None, state=MemoryBackend(), http=http)
        policy = build(options, ctx)
    _break(name, policy)
    if name == "hygiene":
        policy._deny_unknown = True
    exchange = Exchange(
        request=HttpRequest(method="GET", path="/x", headers=(("Host", "a"),), client_ip="198.51.100.1")
    )
    if name == "hygiene":
        policy._model = Exploding()
    pipeline = Pipeline([policy])
    deny = await pipeline.on_request(exchange)
    await pipeline.on_complete(exchange, status=deny.status if deny else 200, deny=deny)
    assert exchange.notes["policy_errors"] == [{"policy": name, "error": "RuntimeError"}]
    assert exchange.matched_rules == [RULE_POLICY_ERROR]
    if mode is Mode.ENFORCE:
        assert deny is not None
        assert deny.status == 503
        assert exchange.notes["decision"] is Decision.DENY
    else:
        assert deny is None
        assert exchange.notes["decision"] is Decision.LOG
