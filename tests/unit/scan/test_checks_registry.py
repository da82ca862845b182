from __future__ import annotations

import re

import pytest

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan import builtin_checks, registry
from apiward.scan.checks import Registry, check


def test_ids_are_unique_stable_and_documented() -> None:
    checks = builtin_checks()
    ids = [c.id for c in checks]
    assert len(ids) == len(set(ids)) == len(registry())
    names = [c.meta.name for c in checks]
    assert len(names) == len(set(names))
    for c in checks:
        assert re.fullmatch(r"SCN-\d{3}", c.id)
        assert len(c.meta.doc) > 80, c.id
        assert c.meta.remediation
        assert c.meta.title


def test_catalogue_lists_every_check() -> None:
    from importlib import resources

    text = resources.files("apiward.scan.checks").joinpath("CATALOGUE.md").read_text(encoding="utf-8")
    for c in builtin_checks():
        assert f"| {c.id} | {c.meta.name} |" in text


def test_registry_rejects_duplicates() -> None:
    reg: Registry[int] = Registry("thing", [("A", 1)])
    with pytest.raises(ValueError, match="duplicate thing id 'A'"):
        reg.register("A", 2)


def test_decorator_validates_at_registration() -> None:
    kwargs = {
        "name": "x",
        "title": "x",
        "owasp": OwaspApi2023.API1,
        "cwe": 1,
        "severity": Severity.LOW,
        "confidence": Confidence.LOW,
        "remediation": "x",
        "category": "x",
    }
    with pytest.raises(ValueError, match="SCN-nnn"):
        check(id="BAD-1", **kwargs)  # type: ignore[arg-type]

    def sync(ctx: object) -> None:
        """Doc."""

    with pytest.raises(TypeError, match="async"):
        check(id="SCN-999", **kwargs)(sync)  # type: ignore[arg-type]

    async def nodoc(ctx: object) -> None:
        pass

    with pytest.raises(ValueError, match="docstring"):
        check(id="SCN-999", **kwargs)(nodoc)  # type: ignore[arg-type]
