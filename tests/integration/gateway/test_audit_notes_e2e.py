"""Through the real gateway: what the threat and validation policies found reaches the audit event."""

from __future__ import annotations

from typing import Any

import httpx

from apiward.gateway import Gateway


async def test_threat_and_validation_findings_are_audited(make_gateway: Any) -> None:
    gateway: Gateway = await make_gateway(
        {"policies": {"threat": {"mode": "log-only"}, "validate_request": {"mode": "log-only"}}}
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway.port}") as client:
        r = await client.get("/items/abc", params={"q": "1' UNION SELECT password FROM users--"})
        assert r.status_code == 200  # log-only: recorded, not refused
        assert (await client.get("/items/2")).status_code == 200
    assert gateway.runtime is not None
    attack, quiet = list(gateway.runtime.audit_sink.events)[-2:]
    assert "GW-THREAT-001" in attack.matched_rules
    assert any(rule.startswith("SQLI-") for rule in attack.matched_rules)  # the detection rules that matched
    assert "sqli" in attack.detail["threat"]["scores"]
    hits = {hit["policy"]: hit for hit in attack.detail["log_only"]}
    assert hits["validate_request"]["rule"] == "GW-VAL-001"
    assert hits["validate_request"]["detail"]
    assert hits["threat"]["evidence"]["matches"][0]["family"] == "sqli"
    assert str(attack.decision) == "log"
    assert "threat" not in quiet.detail
    assert "log_only" not in quiet.detail
