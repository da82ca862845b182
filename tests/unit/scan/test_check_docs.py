"""The check reference pages (docs/reference/checks/) are generated from the check modules and committed current."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from apiward.scan import builtin_checks

ROOT = Path(__file__).resolve().parents[3]


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs_scan", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_committed_current_page_per_check() -> None:
    gen = _gen_docs()
    pages = [gen.scan_checks_index(), *(gen.scan_check_page(c.id) for c in builtin_checks())]
    assert len(pages) == len(builtin_checks()) + 1
    for relative, text in pages:
        path = ROOT / relative
        assert path.exists(), f"{relative} missing: run python scripts/gen_docs.py"
        assert path.read_text(encoding="utf-8") == text, f"{relative} is stale: run python scripts/gen_docs.py"


def test_page_carries_the_docstring_and_metadata() -> None:
    gen = _gen_docs()
    chk = builtin_checks()[0]
    _, text = gen.scan_check_page(chk.id)
    assert chk.meta.doc.splitlines()[0] in text
    assert chk.meta.owasp.value in text
    assert str(chk.meta.cwe) in text
