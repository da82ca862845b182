"""`apiward detect`: evaluate the detection engine on a corpus, explain a verdict, list the rules."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import TextIO

import click

from apiward.cli._common import handle_errors
from apiward.core import InputError
from apiward.detect import FAMILIES, Engine, Inspection, decode_steps, fingerprints, load_rules
from apiward.detect._eval import Report, evaluate, parse_corpus
from apiward.detect._reference import rules_markdown

__all__ = ["detect"]

_PARANOIA = click.option(
    "--paranoia", "-p", type=click.IntRange(1, 4), default=1, show_default=True, help="Paranoia level 1–4."
)


def _rate(value: float | None) -> str:
    return "   —  " if value is None else f"{value:6.4f}"


def _describe(inspection: Inspection) -> str:
    top = sorted(inspection.matches, key=lambda m: -m.score)[:3]
    return ", ".join(f"{m.rule_id}@{m.location}: {m.fragment[:40]!r}" for m in top) or "no match"


def _text_report(report: Report, worst: int) -> str:
    lines = [f"{'family':<18} {'attacks':>7} {'benign':>7} {'TPR':>7} {'TNR':>7} {'bal.acc':>7}"]
    for name, c in sorted(report.families.items()):
        lines.append(
            f"{name:<18} {c.tp + c.fn:>7} {c.tn + c.fp:>7} {_rate(c.tpr):>7} {_rate(c.tnr):>7} "
            f"{_rate(c.balanced_accuracy):>7}"
        )
    o = report.overall
    lines.append(
        f"{'OVERALL':<18} {o.tp + o.fn:>7} {o.tn + o.fp:>7} {_rate(o.tpr):>7} {_rate(o.tnr):>7} "
        f"{_rate(o.balanced_accuracy):>7}"
    )
    if report.skipped:
        lines.append(f"({report.skipped} rows with other labels skipped)")
    if worst:
        lines.append("")
        lines.append(f"worst false positives ({len(report.false_positives)} in all):")
        for out in report.worst_false_positives(worst):
            lines.append(
                f"  {out.sample.id} [{out.sample.category}] score {out.inspection.total_score}: "
                f"{_describe(out.inspection)}"
            )
        lines.append(f"worst false negatives ({len(report.false_negatives)} in all):")
        for out in report.worst_false_negatives(worst):
            lines.append(
                f"  {out.sample.id} [{out.sample.category}] score {out.inspection.total_score}: "
                f"{out.sample.desc[:60]!r}"
            )
    return "\n".join(lines) + "\n"


@click.group(name="detect")
def detect() -> None:
    """Evaluate and explain the attack-detection engine.

    \b
    apiward detect eval ../shared/corpora/crs-regression.jsonl
    apiward detect explain "1' or '1'='1"
    apiward detect rules
    """


@detect.command(name="eval")
@click.argument("corpus", type=click.Path(dir_okay=False, path_type=Path))
@_PARANOIA
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--label-column", default="label", show_default=True, help="Field holding attack/benign.")
@click.option("--category-column", default="category", show_default=True, help="Field holding the family.")
@click.option("--skip-bad", is_flag=True, help="Skip malformed lines (reported on stderr) instead of failing.")
@click.option("--worst", type=click.IntRange(0, 1000), default=10, show_default=True, help="FPs/FNs to list.")
@handle_errors
def eval_command(
    corpus: Path, paranoia: int, fmt: str, label_column: str, category_column: str, skip_bad: bool, worst: int
) -> None:
    """Score the engine on a labelled JSONL corpus (``.gz`` accepted): per family and overall TPR, TNR,
    balanced accuracy, and the worst false positives and negatives."""
    try:
        if corpus.suffix == ".gz":
            handle: TextIO = gzip.open(corpus, "rt", encoding="utf-8", errors="replace")
        else:
            handle = corpus.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(corpus)) from exc
    engine = Engine(paranoia=paranoia)
    with handle:
        samples = parse_corpus(
            handle,
            source=str(corpus),
            label_column=label_column,
            category_column=category_column,
            skip_bad=skip_bad,
            on_skip=lambda message: click.echo(f"skipped {message}", err=True),
        )
        report = evaluate(engine.inspect, samples)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(_text_report(report, worst), nl=False)


@detect.command(name="explain")
@click.argument("value")
@_PARANOIA
@click.option("--location", default="value", show_default=True, help="Where the value arrived (header:referer…).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def explain_command(value: str, paranoia: int, location: str, fmt: str) -> None:
    """Show how VALUE is decoded, which rules match it and the resulting scores. Exit 1 when it is an attack."""
    engine = Engine(paranoia=paranoia)
    result = engine.inspect_value(value, location)
    steps = decode_steps(value)
    if fmt == "json":
        doc = {
            "value": value,
            "paranoia": paranoia,
            "decoding": [{"step": s.name, "text": s.text} for s in steps],
            "sql_fingerprints": [{"context": f.context, "shape": f.shape} for f in fingerprints(value)],
            "matches": [
                {
                    "rule_id": m.rule_id,
                    "family": m.family,
                    "location": m.location,
                    "fragment": m.fragment,
                    "score": m.score,
                    "confidence": m.confidence.label,
                }
                for m in result.matches
            ],
            "scores": dict(result.scores),
            "threshold": result.threshold,
            "is_attack": result.is_attack,
        }
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        click.echo("decoding:")
        for s in steps:
            click.echo(f"  {s.name:<28} {s.text[:200]!r}")
        click.echo("sql fingerprints:")
        for f in fingerprints(value):
            click.echo(f"  {f.context:<13} {f.shape}")
        click.echo("matches:")
        for m in result.matches:
            click.echo(f"  {m.rule_id:<10} {m.family:<9} +{m.score} {m.confidence.label:<6} {m.fragment[:80]!r}")
        if not result.matches:
            click.echo("  (none)")
        scores = ", ".join(f"{k}={v}" for k, v in sorted(result.scores.items())) or "none"
        verdict = "ATTACK" if result.is_attack else "clean"
        click.echo(f"scores: {scores} (threshold {result.threshold}) → {verdict}")
    if result.is_attack:
        sys.exit(1)


@detect.command(name="rules")
@click.option("--paranoia", "-p", type=click.IntRange(1, 4), default=4, show_default=True, help="Up to this level.")
@click.option("--family", type=click.Choice(FAMILIES), help="Only this family.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@handle_errors
def rules_command(paranoia: int, family: str | None, fmt: str) -> None:
    """List the detection rules (id, family, paranoia, confidence, description)."""
    rules = [r for r in load_rules() if r.paranoia <= paranoia and (family is None or r.family == family)]
    if fmt == "markdown":
        click.echo(rules_markdown(rules), nl=False)
        return
    for r in rules:
        click.echo(f"{r.id:<10} {r.family:<9} PL{r.paranoia} {r.confidence.label:<6} {r.description}")
