"""Every rule fires on its own `fire` examples and stays quiet on its `pass` examples (rule data is the test data)."""

from __future__ import annotations

import pytest

from apiward.core import Confidence, ConfigError
from apiward.detect import FAMILIES, Engine, load_rules
from apiward.detect._custom import example_location
from apiward.detect._rules import RULE_FILES, Rule, check_unique, parse_rules

RULES = load_rules()
ENGINE = None


def engine() -> Engine:
    global ENGINE
    if ENGINE is None:
        ENGINE = Engine(paranoia=4)
    return ENGINE


_OK = "family: sqli, paranoia: 1, confidence: high, description: d"

CASES = [(r.id, "fire", x) for r in RULES for x in r.fire] + [(r.id, "pass", x) for r in RULES for x in r.ok]


@pytest.mark.parametrize(("rule_id", "kind", "value"), CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_rule_examples(rule_id: str, kind: str, value: str) -> None:
    rule = next(r for r in RULES if r.id == rule_id)
    result = engine().inspect_value(value, example_location(rule.targets))
    fired = rule_id in {m.rule_id for m in result.matches}
    assert fired is (kind == "fire"), f"{rule_id} {'did not fire' if kind == 'fire' else 'fired'} on {value!r}"


def test_every_pattern_rule_has_positive_and_negative_examples() -> None:
    missing = [r.id for r in RULES if r.detector != "anomaly" and (not r.fire or not r.ok)]
    assert missing == []


def test_every_family_has_rules_and_files_are_listed_explicitly() -> None:
    assert {r.family for r in RULES} == set(FAMILIES)
    assert len(RULE_FILES) == len(set(RULE_FILES))


def test_rule_ids_are_unique_and_stable_shaped() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(i.split("-")[0].isupper() and i.split("-")[1].isdigit() for i in ids)


def test_duplicate_ids_are_rejected() -> None:
    rules = parse_rules(
        "x.yaml", "- {id: A-1, family: sqli, paranoia: 1, confidence: high, description: d, pattern: x}"
    )
    with pytest.raises(ConfigError, match="duplicate rule id"):
        check_unique([*rules, *rules])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {id: A-1}", "missing 'family'"),
        ("- {id: A-1, family: nope, paranoia: 1, confidence: high, description: d, pattern: x}", "unknown family"),
        ("- {id: A-1, family: sqli, paranoia: 7, confidence: high, description: d, pattern: x}", "paranoia"),
        ("- {id: A-1, family: sqli, paranoia: 1, confidence: sure, description: d, pattern: x}", "confidence"),
        ("- {id: A-1, family: sqli, paranoia: 1, confidence: high, description: d}", "needs a 'pattern'"),
        (
            "- {id: A-1, family: sqli, paranoia: 1, confidence: high, description: d, pattern: x, colour: red}",
            "unknown key",
        ),
        ("{not: a list}", "must hold a list"),
        ("- [unclosed", "invalid YAML"),
    ],
)
def test_bad_rule_files_name_file_and_rule(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        parse_rules("custom.yaml", text)
    assert "custom.yaml" in str(info.value)


def test_unknown_detector_is_rejected() -> None:
    rules = parse_rules(
        "x.yaml", "- {id: A-1, family: sqli, paranoia: 1, confidence: high, description: d, detector: nope}"
    )
    with pytest.raises(ConfigError, match="unknown detector"):
        Engine(rules=rules)


def test_targets_name_kinds_or_colon_locations() -> None:
    rule = Rule(
        id="T-1",
        family="xss",
        paranoia=1,
        confidence=Confidence.HIGH,
        description="t",
        pattern="x",
        targets=frozenset({"body", "header:referer"}),
    )
    assert rule.reads("body", "body")  # an unparsed body
    assert not rule.reads("xmlraw", "body")  # raw XML text sits at location "body" but is another kind
    assert rule.reads("header", "header:referer")
    assert not rule.reads("header", "header:user-agent")
