"""Imports point one way: down. A lower layer importing a higher one fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "apiward"

#: package -> packages it may import (besides itself and stdlib/third-party).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "spec": {"core"},
    "detect": {"core"},
    "events": {"core"},
    "state": {"core"},
    "audit": {"core", "spec"},
    "scan": {"core", "spec", "detect"},
    "gateway": {"core", "spec", "detect", "events", "state"},
    "analytics": {"core", "spec", "detect", "events", "state"},
    "report": {"core"},
    "demo": {"core"},
    "cli": {"core", "spec", "detect", "events", "state", "audit", "scan", "gateway", "analytics", "report", "demo"},
    "console": {"core", "spec", "detect", "events", "state", "audit", "scan", "gateway", "analytics", "report"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "apiward" and len(parts) > 1 and not parts[1].startswith("_"):
                found.add(parts[1])
    return found


def _violations(package: str) -> list[str]:
    allowed = ALLOWED[package] | {package}
    bad = []
    for file in sorted((SRC / package).rglob("*.py")):
        for target in sorted(_imports(file) - allowed):
            bad.append(f"{file.relative_to(SRC)} imports apiward.{target}")
    return bad


@pytest.mark.parametrize("package", sorted(p.name for p in SRC.iterdir() if p.is_dir() and p.name in ALLOWED))
def test_no_upward_imports(package: str) -> None:
    assert _violations(package) == []


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(ALLOWED), f"give these packages a layer in ALLOWED: {packages - set(ALLOWED)}"


def test_checker_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from apiward.gateway import server\nimport apiward.cli\nfrom apiward._version import x\n")
    assert _imports(bad) == {"gateway", "cli"}


def test_every_cli_command_loads_and_has_help() -> None:
    from click.testing import CliRunner

    from apiward.cli import main
    from apiward.cli._app import COMMANDS

    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output
    assert runner.invoke(main, ["no-such-command"]).exit_code == 2
