"""`apiward detect … --rules FILE`: custom rules listed, used by explain and eval, refused when their examples fail."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from apiward.cli import main

RULE = """\
- id: LOCAL-002
  family: rce
  paranoia: 1
  confidence: high
  description: "Our report renderer passes 'template' to a shell: only a plain name may reach it."
  targets: ["query:template"]
  pattern: '[^\\w-]'
  examples:
    fire: ["a b", "x;id"]
    pass: ["invoice", "monthly-summary"]
"""


def _rule_file(tmp_path: Path, text: str = RULE) -> str:
    path = tmp_path / "local.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_rules_lists_custom_rules_after_the_built_in_ones(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["detect", "rules", "--rules", _rule_file(tmp_path), "--family", "rce"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("LOCAL-002  rce")


def test_explain_uses_a_custom_rule_at_its_location(tmp_path: Path) -> None:
    args = ["detect", "explain", "x;id", "--location", "query:template", "--rules", _rule_file(tmp_path)]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "LOCAL-002" in {m["rule_id"] for m in json.loads(result.output)["matches"]}
    quiet = CliRunner().invoke(
        main, ["detect", "explain", "invoice", "--location", "query:template", "--rules", args[-1]]
    )
    assert quiet.exit_code == 0, quiet.output


def test_eval_scores_with_custom_rules(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "category": "rce", "label": "attack", "request": {"method": "GET", "uri": "/r?template=a%20b"}},
        {"id": "b", "category": "rce", "label": "benign", "request": {"method": "GET", "uri": "/r?template=invoice"}},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    plain = CliRunner().invoke(main, ["detect", "eval", str(corpus), "--format", "json"])
    patched = CliRunner().invoke(
        main, ["detect", "eval", str(corpus), "--format", "json", "--rules", _rule_file(tmp_path)]
    )
    assert json.loads(plain.output)["overall"]["tpr"] == 0.0
    assert json.loads(patched.output)["overall"] == {"tpr": 1.0, "tnr": 1.0, "balanced_accuracy": 1.0}


def test_a_rule_whose_examples_fail_is_an_error(tmp_path: Path) -> None:
    broken = _rule_file(tmp_path, RULE.replace('"monthly-summary"', '"monthly summary"'))
    result = CliRunner().invoke(main, ["detect", "explain", "x", "--rules", broken])
    assert result.exit_code == 2
    assert "LOCAL-002 fires on its 'pass' example 'monthly summary'" in result.output
