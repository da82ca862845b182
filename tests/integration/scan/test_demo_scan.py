"""Full scans of the vulnerable demo and its secure twin: every check fires on one and stays silent on the other."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from apiward.core import Severity
from apiward.demo import create_app, demo_scan_config, openapi_text, serve
from apiward.scan import ScanConfig, Scanner, ScanResult, builtin_checks
from apiward.spec import load

pytestmark = pytest.mark.slow

CHECK_IDS = [c.id for c in builtin_checks()]


async def _scan(secure: bool, spec: Path) -> ScanResult:
    with serve(create_app(secure=secure)) as handle:
        config = ScanConfig.from_mapping(demo_scan_config(handle.url))
        return await Scanner(load(str(spec)), target=handle.url, config=config).run()


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScanResult, ScanResult]:
    """Both apps scanned at once (the scans mostly wait on the network, so they overlap well)."""
    spec = tmp_path_factory.mktemp("demo") / "openapi.yaml"
    spec.write_text(openapi_text(), encoding="utf-8")

    async def run() -> tuple[ScanResult, ScanResult]:
        vulnerable, secure = await asyncio.gather(_scan(False, spec), _scan(True, spec))
        return vulnerable, secure

    return asyncio.run(run())


@pytest.fixture(scope="module")
def vulnerable(both: tuple[ScanResult, ScanResult]) -> ScanResult:
    return both[0]


@pytest.fixture(scope="module")
def secure(both: tuple[ScanResult, ScanResult]) -> ScanResult:
    return both[1]


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_check_fires_on_vulnerable_demo(vulnerable: ScanResult, check_id: str) -> None:
    found = [f for f in vulnerable.findings if f.check_id == check_id]
    assert found, f"{check_id} did not fire on the vulnerable demo"
    evidence = found[0].evidence
    assert evidence.get("curl", "").startswith("curl "), check_id
    assert "request" in evidence
    assert "response" in evidence


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_check_silent_on_secure_twin(secure: ScanResult, check_id: str) -> None:
    assert [f.message for f in secure.findings if f.check_id == check_id] == []


def test_secure_twin_has_no_finding_of_low_or_above(secure: ScanResult) -> None:
    assert [f for f in secure.findings if f.severity >= Severity.LOW] == []


def test_every_identity_still_works_after_full_scan(vulnerable: ScanResult, secure: ScanResult) -> None:
    for result in (vulnerable, secure):
        ok = result.stats["identities_ok"]
        assert set(ok) == {"alice", "bob", "carol", "admin"}
        assert all(ok.values()), ok


def test_coverage_most_operations_answer_2xx(vulnerable: ScanResult, secure: ScanResult) -> None:
    for result in (vulnerable, secure):
        stats = result.stats
        assert stats["operations_succeeded"] >= 0.85 * stats["operations"], stats["coverage"]
        assert stats["requests"] > 0
        assert stats["out_of_scope_refused"] == 0


def test_secrets_never_in_findings(vulnerable: ScanResult) -> None:
    from apiward.demo import SEEDED_USERS

    text = repr([f.to_dict() for f in vulnerable.findings])
    for user in SEEDED_USERS:
        assert user.password not in text
    assert "eyJ" not in text  # no JWT in clear


def test_without_throwaway_recipe_self_changing_operations_are_skipped_and_reported(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(openapi_text(), encoding="utf-8")
    with serve(create_app(secure=True)) as handle:
        raw = demo_scan_config(handle.url)
        raw.pop("throwaway")
        config = ScanConfig.from_mapping(raw)
        result = asyncio.run(Scanner(load(str(spec)), target=handle.url, config=config, checks=[]).run())
    reason = result.not_tested.get("PUT /api/v2/users/me/password", "")
    assert "not tested" in reason
    assert "no throwaway account" in reason
    assert result.coverage["PUT /api/v2/users/me/password"].requests == 0
    assert all(result.stats["identities_ok"].values())
