"""`apiward detect eval|explain|rules`: output shapes, exit codes, clear errors, the generated reference page."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

from click.testing import CliRunner

from apiward.cli import main
from apiward.detect import load_rules
from apiward.detect._reference import rules_markdown

ROOT = Path(__file__).resolve().parents[3]


def _row(i: int, label: str, category: str, uri: str, body: bytes = b"") -> str:
    request = {"method": "POST", "uri": uri, "headers": {"Host": "x"}, "body_b64": base64.b64encode(body).decode()}
    return json.dumps({"id": f"r{i}", "category": category, "label": label, "desc": "d", "request": request})


def _corpus(tmp_path: Path, extra: str = "") -> Path:
    rows = [
        _row(1, "attack", "sqli", "/p?id=1%27%20or%20%271%27%3D%271"),
        _row(2, "attack", "sqli", "/p?id=42"),
        _row(3, "benign", "sqli", "/p?name=O%27Brien"),
        _row(4, "attack", "xss", "/p?q=%3Cscript%3Ealert(1)%3C/script%3E"),
        _row(5, "leak", "leak", "/p"),
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(rows) + "\n" + extra, encoding="utf-8")
    return path


def test_eval_json_shape(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["detect", "eval", str(_corpus(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc) == {"overall", "families"}
    assert set(doc["overall"]) == {"tpr", "tnr", "balanced_accuracy"}
    assert doc["overall"]["tpr"] == 0.6667
    assert doc["overall"]["tnr"] == 1.0
    assert doc["families"]["sqli"] == {"tpr": 0.5, "tnr": 1.0, "balanced_accuracy": 0.75}
    assert doc["families"]["xss"]["tnr"] is None
    assert "leak" not in doc["families"]


def test_eval_text_lists_worst_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["detect", "eval", str(_corpus(tmp_path))])
    assert result.exit_code == 0
    assert "OVERALL" in result.output
    assert "worst false negatives (1 in all)" in result.output
    assert "r2 [sqli]" in result.output


def test_eval_reads_gzip(tmp_path: Path) -> None:
    plain = _corpus(tmp_path)
    packed = tmp_path / "corpus.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    result = CliRunner().invoke(main, ["detect", "eval", str(packed), "--format", "json"])
    assert json.loads(result.output)["overall"]["tpr"] == 0.6667


def test_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, extra="{not json\n")
    result = CliRunner().invoke(main, ["detect", "eval", str(corpus)])
    assert result.exit_code == 2
    assert f"{corpus}:6" in result.output
    assert "Traceback" not in result.output
    skipped = CliRunner().invoke(main, ["detect", "eval", str(corpus), "--skip-bad", "--format", "json"])
    assert skipped.exit_code == 0
    assert json.loads(skipped.stdout)["overall"]["tpr"] == 0.6667


def test_missing_label_and_bad_body_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": 1, "request": {"uri": "/"}}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["detect", "eval", str(path)])
    assert result.exit_code == 2
    assert "missing 'label'" in result.output
    path.write_text('{"label": "attack", "request": {"uri": "/", "body_b64": "%%%"}}\n', encoding="utf-8")
    assert "not base64" in CliRunner().invoke(main, ["detect", "eval", str(path)]).output


def test_label_column_option(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"verdict": "attack", "kind": "x", "request": {"uri": "/?a=%3Cscript%3E"}}\n', encoding="utf-8")
    args = ["detect", "eval", str(path), "--label-column", "verdict", "--category-column", "kind", "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert json.loads(result.output)["families"]["x"]["tpr"] == 1.0


def test_missing_corpus_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["detect", "eval", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_explain_shows_steps_matches_and_scores() -> None:
    result = CliRunner().invoke(main, ["detect", "explain", "%2527%20or%201%3D1--"])
    assert result.exit_code == 1  # an attack
    assert "url+url" in result.output
    assert "SQLI-" in result.output
    assert "ATTACK" in result.output
    clean = CliRunner().invoke(main, ["detect", "explain", "O'Brien", "--format", "json"])
    assert clean.exit_code == 0
    doc = json.loads(clean.output)
    assert doc["is_attack"] is False
    assert {f["context"] for f in doc["sql_fingerprints"]} == {"as-is", "quote-single"}


def test_rules_listing() -> None:
    result = CliRunner().invoke(main, ["detect", "rules", "--family", "sqli", "-p", "1"])
    assert result.exit_code == 0
    assert "SQLI-001" in result.output
    assert "XSS-001" not in result.output


def test_reference_page_is_up_to_date() -> None:
    page = ROOT / "docs" / "reference" / "detection.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(load_rules()), (
        "regenerate: apiward detect rules --format markdown > docs/reference/detection.md"
    )
