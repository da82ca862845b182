"""`apiward detect`: evaluate the engine on a corpus, explain a verdict, list the rules, tune on and hunt in traffic."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote, urlencode

import click
import yaml

from apiward.analytics import read_traffic
from apiward.analytics._ingest import FORMATS
from apiward.analytics._observation import Observation
from apiward.cli._common import EXIT_FINDINGS, handle_errors, output_option, write_output
from apiward.core import ConfigError, HttpRequest, InputError
from apiward.detect import (
    FAMILIES,
    Engine,
    Inspection,
    Rule,
    decode_steps,
    example_failures,
    fingerprints,
    load_rule_files,
    load_rules,
)
from apiward.detect._eval import Report, evaluate, parse_corpus
from apiward.detect._hunt import Hunt, HuntReport
from apiward.detect._reference import rules_markdown
from apiward.detect._tune import Judge, Tuner, TuneReport, engine_judge

if TYPE_CHECKING:
    from apiward.spec import ApiModel

__all__ = ["detect"]

_PARANOIA = click.option(
    "--paranoia", "-p", type=click.IntRange(1, 4), default=1, show_default=True, help="Paranoia level 1–4."
)


_RULES = click.option(
    "--rules",
    "rule_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A custom rule file (YAML, the built-in rule format), added to the built-in rules; repeatable.",
)


def _engine(paranoia: int, custom: Sequence[Rule] = (), threshold: int = 5) -> Engine:
    """The engine with the ``custom`` rules (from --rules), whose examples must hold (else a ConfigError)."""
    if not custom:
        return Engine(paranoia=paranoia, threshold=threshold)
    engine = Engine(paranoia=paranoia, threshold=threshold, rules=(*load_rules(), *custom))
    problems = example_failures(engine, custom)
    if problems:
        raise ConfigError("custom rules do not match their examples: " + "; ".join(problems[:10]))
    return engine


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
    apiward detect tune qa-run.har --spec openapi.yaml
    apiward detect hunt access.log.jsonl --spec openapi.yaml
    apiward detect explain "name desc" --location query:sort --rules rules/local.yaml
    """


@detect.command(name="eval")
@click.argument("corpus", type=click.Path(dir_okay=False, path_type=Path))
@_PARANOIA
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--label-column", default="label", show_default=True, help="Field holding attack/benign.")
@click.option("--category-column", default="category", show_default=True, help="Field holding the family.")
@click.option("--skip-bad", is_flag=True, help="Skip malformed lines (reported on stderr) instead of failing.")
@click.option("--worst", type=click.IntRange(0, 1000), default=10, show_default=True, help="FPs/FNs to list.")
@_RULES
@handle_errors
def eval_command(
    corpus: Path,
    paranoia: int,
    fmt: str,
    label_column: str,
    category_column: str,
    skip_bad: bool,
    worst: int,
    rule_files: tuple[Path, ...],
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
    engine = _engine(paranoia, load_rule_files(rule_files))
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
@_RULES
@handle_errors
def explain_command(value: str, paranoia: int, location: str, fmt: str, rule_files: tuple[Path, ...]) -> None:
    """Show how VALUE is decoded, which rules match it and the resulting scores. Exit 1 when it is an attack."""
    engine = _engine(paranoia, load_rule_files(rule_files))
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
@_RULES
@handle_errors
def rules_command(paranoia: int, family: str | None, fmt: str, rule_files: tuple[Path, ...]) -> None:
    """List the detection rules (id, family, paranoia, confidence, description).

    With --rules, the custom rules are checked first (they load, compile, and match their examples at their own
    paranoia level) and listed after the built-in ones; a problem is an error (exit 2)."""
    custom = load_rule_files(rule_files)
    if custom:
        _engine(max(r.paranoia for r in custom), custom)
    every = (*load_rules(), *custom)
    rules = [r for r in every if r.paranoia <= paranoia and (family is None or r.family == family)]
    if fmt == "markdown":
        click.echo(rules_markdown(rules), nl=False)
        return
    for r in rules:
        click.echo(f"{r.id:<10} {r.family:<9} PL{r.paranoia} {r.confidence.label:<6} {r.description}")


# Characters a path keeps unencoded when an observation's decoded path is turned back into a request target.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def _request_of(obs: Observation) -> HttpRequest:
    """The request an observation records (its path and query were decoded when read; encode them again)."""
    headers = obs.request_headers
    if obs.request_content_type and not any(k.lower() == "content-type" for k, _ in headers):
        headers = (*headers, ("Content-Type", obs.request_content_type))
    return HttpRequest(
        method=obs.method,
        path=quote(obs.path, safe=_PATH_SAFE),
        query=urlencode(obs.query, quote_via=quote),
        headers=headers,
        body=obs.request_body or b"",
    )


def _route_of(model: ApiModel | None, method: str, path: str) -> str | None:
    """``"METHOD /template"`` of the operation serving the request (what gateway exclusions match), base path
    of the spec's servers stripped as the gateway does; ``None`` without a spec or when nothing matches."""
    if model is None:
        return None
    for base in (*model.base_paths, ""):
        if base and path != base and not path.startswith(base + "/"):
            continue
        rest = path[len(base) :] or "/"
        match = model.match(method, rest) or (model.match("GET", rest) if method == "HEAD" else None)
        if match is not None:
            return f"{match.operation.method} {match.operation.path}"
    return None


def _traffic_options(spec_help: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """FILES and the options that say how to judge them, shared by ``tune`` and ``hunt``."""
    options = (
        click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)),
        click.option("--spec", "spec_path", help=spec_help),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="A gateway configuration: judge with its threat policy (paranoia, threshold, exclusions, routes, "
            "rules) and spec.",
        ),
        _PARANOIA,
        click.option(
            "--threshold", type=click.IntRange(min=1), default=5, show_default=True, help="Anomaly threshold."
        ),
        click.option("--input-format", type=click.Choice(FORMATS), default="auto", show_default=True, help="Of FILES."),
        _RULES,
    )

    def apply(command: Callable[..., None]) -> Callable[..., None]:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def _observations(files: Sequence[Path], input_format: str) -> Iterator[Observation]:
    """The requests recorded in ``files``, in order (a missing file is an input error)."""
    for file in files:
        if not file.is_file():
            raise InputError("no such file", source=str(file))
        yield from read_traffic(file, input_format)


def _configured_judge(config_path: Path, spec_path: str | None) -> tuple[Judge, int, int, ApiModel | None]:
    """The threat policy of a gateway configuration as a judge (with its paranoia, threshold and spec, unless --spec
    is given)."""
    ctx = click.get_current_context()
    for name in ("paranoia", "threshold", "rule_files"):
        if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
            flag = "--rules" if name == "rule_files" else f"--{name}"
            raise click.UsageError(f"{flag} comes from the configuration's threat policy when --config is given")
    from apiward.gateway._config import load_config
    from apiward.gateway.policies.threat import ThreatDetection
    from apiward.spec import load

    config = load_config(config_path)
    spec = spec_path or config.spec_path()
    model = load(spec) if spec else None
    routes = {key: route["threat"] for key, route in config.routes.items() if "threat" in route}
    policy = ThreatDetection.offline(config.policies.get("threat") or {}, model, routes, config.config_dir)
    return policy.judge, policy.paranoia, policy.threshold, model


def _judge(
    config_path: Path | None, spec_path: str | None, paranoia: int, threshold: int, rule_files: tuple[Path, ...]
) -> tuple[Judge, int, int, ApiModel | None]:
    """What judges the traffic: the configuration's threat policy, or an engine with these options."""
    if config_path is not None:
        return _configured_judge(config_path, spec_path)
    from apiward.spec import load

    engine = _engine(paranoia, load_rule_files(rule_files), threshold)
    return engine_judge(engine), paranoia, threshold, load(spec_path) if spec_path else None


def _tune_text(report: TuneReport, spec: bool, configured: bool = False) -> str:
    lines = [
        f"{report.requests} request(s) inspected at paranoia {report.paranoia} (threshold {report.threshold}): "
        f"{report.with_matches} with rule matches, {report.refused_before} would be refused.",
    ]
    if not report.proposals:
        lines.append("Nothing to exclude: this traffic passes the threat policy as it is.")
        return "\n".join(lines) + "\n"
    more = " more" if configured else ""
    lines.append(
        f"{len(report.proposals)}{more} exclusion(s) proposed; with all of them {report.refused_after} request(s) "
        "would still be refused."
    )
    if not spec:
        lines.append(
            "(no --spec: exclusions apply on every route; give the API description to scope them per operation)"
        )
    lines.append("")
    for p in report.proposals:
        where = f"{p.route}  {p.location}" if p.route else p.location
        lines.append(f"{where}  [{', '.join(sorted(p.rule_ids))}]  {p.requests} request(s)")
        for example in p.examples:
            lines.append(f"    e.g. {example!r}")
        if p.review:
            lines.append(
                f"    review: high-confidence {', '.join(sorted(p.review))} — make sure the capture holds no real "
                "attack here"
            )
    lines.append("")
    lines.append("gateway configuration fragment, to review before use:")
    lines.append(yaml.safe_dump(report.config(), sort_keys=False, allow_unicode=True).rstrip())
    return "\n".join(lines) + "\n"


@detect.command(name="tune")
@_traffic_options("The API description: scopes each exclusion to its operation.")
@click.option("--format", "fmt", type=click.Choice(["text", "yaml", "json"]), default="text", show_default=True)
@output_option()
@handle_errors
def tune_command(
    files: tuple[Path, ...],
    spec_path: str | None,
    config_path: Path | None,
    paranoia: int,
    threshold: int,
    input_format: str,
    fmt: str,
    rule_files: tuple[Path, ...],
    output: Path | None,
) -> None:
    """Propose threat-policy exclusions from known-good traffic FILES (HAR, apiward events, JSON access logs).

    Every request the engine would refuse gets the narrowest exclusion that lets it through: its route (with
    --spec), the value's location and the rule ids that fired — never a whole family. Proposals that silence a
    high-confidence rule are marked for review. Exit 1 when some request would be refused (so a CI job can
    check that its test traffic passes the gateway), 0 when none would, 2 on unreadable input. With --config the
    proposals come on top of the exclusions the configuration already has.
    """
    judge, level, limit, model = _judge(config_path, spec_path, paranoia, threshold, rule_files)
    tuner = Tuner(judge, paranoia=level, threshold=limit)
    for obs in _observations(files, input_format):
        tuner.add(_request_of(obs), _route_of(model, obs.method, obs.path))
    report = tuner.report()
    if fmt == "json":
        text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "yaml":
        text = yaml.safe_dump(report.config(), sort_keys=False, allow_unicode=True)
    else:
        text = _tune_text(report, spec=model is not None, configured=config_path is not None)
    write_output(text, output)
    if report.refused_before:
        sys.exit(EXIT_FINDINGS)


@detect.command(name="hunt")
@_traffic_options("The API description: names each request's operation.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(0, 100_000), default=20, show_default=True, help="Requests listed.")
@output_option()
@handle_errors
def hunt_command(
    files: tuple[Path, ...],
    spec_path: str | None,
    config_path: Path | None,
    paranoia: int,
    threshold: int,
    input_format: str,
    fmt: str,
    limit: int,
    rule_files: tuple[Path, ...],
    output: Path | None,
) -> None:
    """Find attacks in recorded traffic FILES (HAR, apiward events, JSON access logs): what reached the API.

    Prints the requests the engine (or, with --config, the deployed threat policy) would refuse, by family, rule,
    client and operation, listing first those the backend answered with 2xx or 5xx. Fragments from secrets are
    redacted. Exit 1 when some request looks like an attack, 0 when none does, 2 on unreadable input.
    """
    judge, level, limit_score, model = _judge(config_path, spec_path, paranoia, threshold, rule_files)
    hunt = Hunt(judge, paranoia=level, threshold=limit_score)
    for obs in _observations(files, input_format):
        hunt.add(
            _request_of(obs),
            obs.template or _route_of(model, obs.method, obs.path),
            status=obs.status,
            client=obs.client,
            timestamp=obs.timestamp,
            source=obs.source,
        )
    report = hunt.report()
    if fmt == "json":
        text = json.dumps(report.to_json(limit), indent=2, ensure_ascii=False) + "\n"
    else:
        text = _hunt_text(report, limit)
    write_output(text, output)
    if report.hits:
        sys.exit(EXIT_FINDINGS)


def _hunt_text(report: HuntReport, limit: int) -> str:
    answered = sum(hit.answered for hit in report.hits)
    lines = [
        f"{report.requests} request(s) inspected at paranoia {report.paranoia} (threshold {report.threshold}): "
        f"{len(report.hits)} look like attacks, {answered} of them answered 2xx or 5xx by the backend."
    ]
    for key, title in (
        ("family", "by family"),
        ("rule", "by rule"),
        ("client", "by client"),
        ("route", "by operation"),
    ):
        counts = report.counts(key)
        if counts:
            shown = ", ".join(f"{name} {count}" for name, count in counts[:8])
            more = f" (+{len(counts) - 8} more)" if len(counts) > 8 else ""
            lines.append(f"  {title:<13} {shown}{more}")
    if report.hits and limit:
        lines.append("")
        lines.append("requests to read first:")
    for hit in report.worst(limit):
        status = "—" if hit.status is None else str(hit.status)
        lines.append(
            f"  {status:>3} {hit.method} {hit.path[:80]}  [{', '.join(hit.families)}]  "
            f"client {hit.client or '?'}  {hit.source}"
        )
        for rule, location, fragment in hit.matches[:3]:
            lines.append(f"        {rule} at {location}: {fragment[:60]!r}")
    return "\n".join(lines) + "\n"
