"""The generated reference pages (``scripts/gen_docs.py``) are committed and current."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from apiward.audit import builtin_rules

ROOT = Path(__file__).resolve().parents[3]


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_audit_rules_page_is_current() -> None:
    relative, text = _gen_docs().audit_rules()
    committed = (ROOT / relative).read_text(encoding="utf-8")
    assert committed == text, "run: python scripts/gen_docs.py --only audit-rules"


def test_audit_rules_page_documents_every_rule() -> None:
    relative, text = _gen_docs().audit_rules()
    assert relative == "docs/reference/audit-rules.md"
    for r in builtin_rules():
        assert f"## {r.id}: {r.meta.title}" in text
        assert r.meta.fix in text


def test_check_mode_reports_stale_pages(tmp_path: Path) -> None:
    module = _gen_docs()
    assert module.stale(tmp_path) == [relative for relative, _ in (g() for g in module.GENERATORS)]
