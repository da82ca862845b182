"""Custom rule files: loaded beside the built-in rules, checked (ids, detectors, examples), errors name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from apiward.core import ConfigError, HttpRequest
from apiward.detect import Engine, example_failures, load_rule_files, load_rules

SORT_PATCH = """\
- id: LOCAL-001
  family: sqli
  paranoia: 1
  confidence: high
  description: "The sort parameter takes a column name only."
  targets: ["query:sort"]
  pattern: '[^\\w.]'
  examples:
    fire: ["name desc", "(select 1)"]
    pass: ["created_at", "users.email"]
"""


def write(tmp_path: Path, text: str, name: str = "local.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def patched(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    rules = load_rule_files([write(tmp_path_factory.mktemp("rules"), SORT_PATCH)])
    return Engine(paranoia=1, rules=(*load_rules(), *rules))


def test_a_custom_rule_fires_where_it_looks(patched: Engine) -> None:
    result = patched.inspect(HttpRequest(method="GET", path="/reports", query="sort=name%20desc&page=2"))
    assert [(m.rule_id, m.location) for m in result.matches] == [("LOCAL-001", "query:sort")]
    assert result.is_attack


@pytest.mark.parametrize("query", ["sort=created_at&page=2", "q=name%20desc&sort=name", "page=2"])
def test_a_custom_rule_stays_quiet_elsewhere(patched: Engine, query: str) -> None:
    assert not patched.inspect(HttpRequest(method="GET", path="/reports", query=query)).matches


def test_examples_that_hold_report_nothing(patched: Engine, tmp_path: Path) -> None:
    assert example_failures(patched, load_rule_files([write(tmp_path, SORT_PATCH)])) == []


def test_examples_that_do_not_hold_are_reported(tmp_path: Path) -> None:
    wrong = SORT_PATCH.replace('pass: ["created_at"', 'pass: ["created at"').replace('"(select 1)"', '"id"')
    rules = load_rule_files([write(tmp_path, wrong)])
    problems = example_failures(Engine(paranoia=1, rules=(*load_rules(), *rules)), rules)
    assert problems == [
        "LOCAL-001 does not fire on its 'fire' example 'id'",
        "LOCAL-001 fires on its 'pass' example 'created at'",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SORT_PATCH.replace("LOCAL-001", "SQLI-001"), "rule id 'SQLI-001' is taken by a built-in rule"),
        (SORT_PATCH.replace("  pattern:", "  detector: anomaly\n  pattern:"), "detector 'anomaly' is built in only"),
        (SORT_PATCH.replace("family: sqli", "family: nope"), "unknown family 'nope'"),
        ("- id: [unclosed", "invalid YAML"),
        (SORT_PATCH.replace("[^\\w.]", "(a)\\1"), "rule LOCAL-001: pattern RE2 refuses it"),
        (SORT_PATCH.replace("[^\\w.]", "a(?=b)"), "rule LOCAL-001: pattern RE2 refuses it"),
    ],
)
def test_bad_rule_files_are_refused_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_rule_files([path])
    assert caught.value.source == str(path)


def test_the_same_id_in_two_files_names_the_first(tmp_path: Path) -> None:
    first, second = write(tmp_path, SORT_PATCH, "a.yaml"), write(tmp_path, SORT_PATCH, "b.yaml")
    with pytest.raises(ConfigError, match=r"taken by rule \[0\] of .*a\.yaml") as caught:
        load_rule_files([first, second])
    assert caught.value.source == str(second)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the rule file"):
        load_rule_files([tmp_path / "nope.yaml"])


def test_a_location_target_reads_the_value_not_the_parameter_name(tmp_path: Path) -> None:
    digits = SORT_PATCH.replace("query:sort", "query:size").replace("[^\\w.]", "[^0-9]")
    digits = digits.replace('["name desc", "(select 1)"]', '["10x"]').replace('["created_at", "users.email"]', '["10"]')
    rules = load_rule_files([write(tmp_path, digits)])
    engine = Engine(paranoia=1, rules=(*load_rules(), *rules))
    assert example_failures(engine, rules) == []
    # the name 'size' is not all digits: were names read (they share the value's location), this would fire
    assert not engine.inspect(HttpRequest(method="GET", path="/reports", query="size=10")).matches
    assert engine.inspect(HttpRequest(method="GET", path="/reports", query="size=10x")).is_attack
