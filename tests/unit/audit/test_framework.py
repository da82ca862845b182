"""The rule framework: registry, @rule validation, the ordered rule list, the engine and the score."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import MappingProxyType

import pytest

from apiward.audit import RULE_MODULES, Hit, Registry, Rule, audit, builtin_rules, rule, score, select_rules
from apiward.audit._score import SEVERITY_POINTS
from apiward.core import ApiwardError, Confidence, ConfigError, Cwe, Finding, OwaspApi2023, Severity
from apiward.spec import ApiModel, ApiOperation

RULES_DIR = Path(__file__).resolve().parents[3] / "src" / "apiward" / "audit" / "rules"
META = {
    "title": "t",
    "severity": Severity.LOW,
    "confidence": Confidence.LOW,
    "owasp": OwaspApi2023.API8,
    "cwe": 20,
    "rationale": "r",
    "fix": "f",
}


def _model(*ops: ApiOperation) -> ApiModel:
    return ApiModel(title="t", version="1", source="m.yaml", spec_version="3.0.3", operations=ops)


def test_registry_keeps_order_and_rejects_duplicates() -> None:
    reg: Registry[str] = Registry("thing", key=lambda s: s.split(":")[0])
    reg.register("b:1")
    reg.register("a:1")
    assert reg.ids() == ("b", "a")
    assert "a" in reg
    assert reg.get("b") == "b:1"
    with pytest.raises(ValueError, match="duplicate thing id 'a'"):
        reg.register("a:2")


def test_registry_validates_at_registration() -> None:
    def no_x(item: str) -> None:
        if "x" in item:
            raise TypeError("no x")

    reg: Registry[str] = Registry("thing", key=str, validate=no_x)
    with pytest.raises(TypeError, match="no x"):
        reg.register("x")
    assert len(reg) == 0


def test_rule_decorator_validates_metadata_signature_and_docstring() -> None:
    with pytest.raises(ValueError, match="AUD-001"):
        rule(id="R1", **META)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="docstring"):

        @rule(id="AUD-900", **META)  # type: ignore[arg-type]
        def undocumented(model: ApiModel) -> list[Hit]:
            return []

    with pytest.raises(TypeError, match="exactly one positional"):

        @rule(id="AUD-901", **META)  # type: ignore[arg-type]
        def two(model: ApiModel, extra: int) -> list[Hit]:  # type: ignore[type-var]
            """Doc."""
            return []


def test_builtin_rules_are_ordered_unique_and_one_per_module() -> None:
    rules = list(builtin_rules())
    ids = [r.id for r in rules]
    assert len(rules) >= 35
    assert ids == sorted(ids)
    files = sorted(p.stem for p in RULES_DIR.glob("aud*.py"))
    assert [m.__name__.rsplit(".", 1)[1] for m in RULE_MODULES] == files
    for module, r in zip(RULE_MODULES, rules, strict=True):
        assert module.__name__.rsplit(".", 1)[1].startswith(r.id.lower().replace("-", ""))


@pytest.mark.parametrize("r", list(builtin_rules()), ids=lambda r: r.id)
def test_every_rule_is_documented(r: Rule) -> None:
    assert re.fullmatch(r"AUD-\d{3}", r.id)
    assert "Fires" in r.doc
    assert "Does not fire" in r.doc
    assert r.meta.rationale.endswith(".")
    assert r.meta.fix.endswith(".")
    assert isinstance(r.meta.cwe, Cwe)


def test_select_rules_only_skip_and_unknown() -> None:
    assert [r.id for r in select_rules(only=["aud-002", "AUD-001"])] == ["AUD-001", "AUD-002"]
    assert "AUD-001" not in [r.id for r in select_rules(skip=["AUD-001"])]
    with pytest.raises(ConfigError, match="AUD-999"):
        select_rules(skip=["AUD-999"])


def test_engine_dedups_filters_and_sorts() -> None:
    op = ApiOperation(method="GET", path="/a")

    @rule(id="AUD-950", **{**META, "severity": Severity.HIGH})  # type: ignore[arg-type]
    def twice(model: ApiModel) -> list[Hit]:
        """Doc."""
        return [Hit(operation=op, message="m"), Hit(operation=op, message="m again")]

    @rule(id="AUD-951", **META)  # type: ignore[arg-type]
    def low(model: ApiModel) -> list[Hit]:
        """Doc."""
        return [Hit(message="doc level", pointer="/x", evidence=MappingProxyType({"k": 1}))]

    findings = audit(_model(op), rules=[low, twice])
    assert [f.check_id for f in findings] == ["AUD-950", "AUD-951"]
    assert findings[1].evidence == {"k": 1, "pointer": "/x"}
    assert findings[1].operation is None
    assert [f.check_id for f in audit(_model(op), rules=[low, twice], min_severity=Severity.MEDIUM)] == ["AUD-950"]


def test_a_crashing_rule_is_reported_as_an_apiward_error() -> None:
    @rule(id="AUD-952", **META)  # type: ignore[arg-type]
    def broken(model: ApiModel) -> list[Hit]:
        """Doc."""
        raise KeyError("boom")

    with pytest.raises(ApiwardError, match=r"AUD-952 failed on m\.yaml"):
        audit(_model(), rules=[broken])


def _f(rule_id: str, severity: Severity, n: int = 0, confidence: Confidence = Confidence.HIGH) -> Finding:
    return Finding(
        check_id=rule_id,
        title="t",
        severity=severity,
        confidence=confidence,
        owasp=OwaspApi2023.API8,
        cwe=Cwe(20),
        message="m",
        remediation="r",
        location=str(n),
    )


def test_score_formula() -> None:
    assert score([]) == 100
    assert score([_f("A", Severity.INFO)]) == 100
    one_high = score([_f("A", Severity.HIGH)])
    assert one_high == 89  # 100 * exp(-12/100)
    assert score([_f("A", Severity.HIGH, confidence=Confidence.LOW)]) > one_high
    # one rule's deduction is capped at three findings' worth
    many = [_f("A", Severity.LOW, i) for i in range(500)]
    assert score(many) == round(100 * 2.718281828 ** (-3 * SEVERITY_POINTS[Severity.LOW] / 100))
    assert score([_f("A", Severity.CRITICAL)]) < score(many)
    assert 0 <= score([_f(str(i), Severity.CRITICAL) for i in range(100)]) <= 5


def test_with_lines_maps_pointers_to_source_lines(tmp_path: Path) -> None:
    from apiward.audit import with_lines

    spec = tmp_path / "s.yaml"
    spec.write_text("openapi: 3.0.3\npaths:\n  /a~b/c:\n    get:\n      responses: {}\nanchors: &x [1]\nagain: *x\n")
    found = [
        dataclasses.replace(_f("A", Severity.LOW, i), evidence=MappingProxyType({"pointer": p}))
        for i, p in enumerate(("/paths/~1a~0b~1c/get", "/paths/~1a~0b~1c/get/deprecated", "/nowhere"))
    ]
    lines = [f.evidence.get("line") for f in with_lines(found, str(spec))]
    assert lines == [4, 4, None]
    assert with_lines(found, "https://example.test/spec.yaml") == found
    assert with_lines(found, str(tmp_path / "absent.yaml")) == found
