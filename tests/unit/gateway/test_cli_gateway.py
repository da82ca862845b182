"""`apiward gateway`: usage and config errors exit 2 with one line, never a traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from apiward.cli import main as cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["gateway", *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_needs_a_config_or_an_upstream() -> None:
    code, out = run()
    assert code == 2
    assert "--config" in out


def test_config_errors_exit_2_with_the_key_path(tmp_path: Path) -> None:
    path = tmp_path / "gw.yaml"
    path.write_text("upstream: {url: 'http://127.0.0.1:9'}\nlisten: {prot: 80}\n")
    code, out = run("--config", str(path), "--check")
    assert code == 2
    assert "listen.prot" in out
    assert "did you mean 'port'?" in out
    assert "Traceback" not in out


def test_missing_spec_exits_2(tmp_path: Path) -> None:
    code, out = run("--spec", str(tmp_path / "nope.yaml"), "--upstream", "http://127.0.0.1:9", "--check")
    assert code == 2
    assert "Traceback" not in out


def test_check_accepts_a_good_config(tmp_path: Path) -> None:
    path = tmp_path / "gw.yaml"
    path.write_text("upstream: {url: 'http://127.0.0.1:9'}\n")
    code, out = run("--config", str(path), "--check")
    assert code == 0
    assert "config OK" in out


def test_reference_is_printed() -> None:
    code, out = run("--reference")
    assert code == 0
    assert out.startswith("# Gateway configuration reference")


def test_decision_quick_mode_needs_no_upstream() -> None:
    code, out = run("--decision", "nginx", "--check")
    assert code == 0, out
    from apiward.gateway import quick_config

    config = quick_config(None, None, decision="nginx")
    assert config.mode == "decision"
    assert config.section("decision")["flavor"] == "nginx"


def test_check_builds_the_policies(tmp_path: Path) -> None:
    path = tmp_path / "gw.yaml"
    path.write_text(
        "upstream: {url: 'http://127.0.0.1:9'}\n"
        "policies: {threat: {mode: 'off'}, ip: {deny: ['10.0.0.0/8', 'not-a-network']}}\n"
    )
    code, out = run("--config", str(path), "--check")
    assert code == 2
    assert "policies.ip.deny[1]" in out
    assert "Traceback" not in out


def test_check_validates_the_analytics_section(tmp_path: Path) -> None:
    path = tmp_path / "gw.yaml"
    path.write_text("upstream: {url: 'http://127.0.0.1:9'}\nanalytics: {remediation: {never_block: [bogus]}}\n")
    code, out = run("--config", str(path), "--check")
    assert code == 2
    assert "never_block" in out
    assert "Traceback" not in out
    path.write_text(
        "upstream: {url: 'http://127.0.0.1:9'}\nanalytics: {remediation: {enabled: true, block_ttl_s: 60}}\n"
    )
    assert run("--config", str(path), "--check")[0] == 0
    path.write_text("upstream: {url: 'http://127.0.0.1:9'}\nanalytics: {enabld: true}\n")
    code, out = run("--config", str(path), "--check")
    assert code == 2
    assert "analytics.enabld" in out
