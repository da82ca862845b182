"""`apiward audit`: static security audit of an OpenAPI description."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import click

from apiward._version import __version__
from apiward.audit import Rule, builtin_rules, score, select_rules, suppressions, with_lines
from apiward.audit import audit as run_audit
from apiward.cli._common import (
    baseline_option,
    exit_code_for,
    fail_on_option,
    format_option,
    handle_errors,
    min_severity_option,
    output_option,
    parse_id_list,
    resolve_format,
    use_color,
    write_output,
)
from apiward.core import Severity
from apiward.report import FORMATS, Report, RuleInfo, filter_baseline, load_baseline, render
from apiward.spec import load

__all__ = ["audit", "example_path", "rule_info"]

EXAMPLE = "shop-api.yaml"


def example_path() -> Path:
    """The bundled example description (package data of ``apiward.audit``)."""
    return Path(str(resources.files("apiward.audit").joinpath("examples", EXAMPLE)))


def rule_info(rule: Rule) -> RuleInfo:
    """A rule's catalogue entry as reports show it."""
    meta = rule.meta
    return RuleInfo(
        id=meta.id,
        title=meta.title,
        severity=meta.severity,
        confidence=meta.confidence,
        owasp=meta.owasp,
        cwe=meta.cwe,
        description=meta.rationale,
        fix=meta.fix,
    )


def _list_rules(rules: list[Rule]) -> str:
    lines = [f"{'id':<8} {'severity':<9} {'owasp':<11} {'cwe':<9} title"]
    for r in rules:
        m = r.meta
        lines.append(f"{m.id:<8} {m.severity.label:<9} {m.owasp.value:<11} {m.cwe!s:<9} {m.title}")
    return "\n".join(lines) + "\n"


@click.command(name="audit")
@click.argument("spec", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--example", is_flag=True, help="Audit the example description bundled with apiward.")
@format_option(FORMATS, infer_from_output=True)
@output_option()
@fail_on_option("high")
@min_severity_option("info")
@click.option("--rules", "only", metavar="IDS", help="Run only these rules (comma-separated, e.g. AUD-001,AUD-005).")
@click.option("--skip-rules", "skip", metavar="IDS", help="Do not run these rules (comma-separated).")
@baseline_option()
@click.option("--list-rules", is_flag=True, help="List the rules (id, severity, OWASP, CWE, title) and exit.")
@handle_errors
def audit_command(
    spec: str | None,
    example: bool,
    fmt: str | None,
    output: Path | None,
    fail_on: Severity,
    min_severity: Severity,
    only: str | None,
    skip: str | None,
    baseline: Path | None,
    list_rules: bool,
) -> None:
    """Audit the API description SPEC (OpenAPI 2.0/3.0/3.1, JSON or YAML, file or http(s) URL).

    \b
    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
                2 usage or spec error, 3 runtime failure.
    \b
    Examples:
      apiward audit --example
      apiward audit openapi.yaml -o apiward.sarif --fail-on high     # format from the suffix
      apiward audit openapi.yaml --skip-rules AUD-018,AUD-032 --min-severity low
    """
    rules = select_rules(only=parse_id_list(only), skip=parse_id_list(skip))
    if list_rules:
        write_output(_list_rules(rules), output)
        return
    if example and spec:
        raise click.UsageError("give either SPEC or --example, not both")
    if not example and not spec:
        raise click.UsageError("give the API description to audit (SPEC), or --example to audit the bundled one")
    source = str(example_path()) if example else str(spec)
    started = datetime.now(UTC)
    model = load(source)
    everything = run_audit(model, rules=rules, suppress=False)
    kept, ignored = suppressions(model, builtin_rules().ids()).split(everything)
    # The score describes the description (minus risks it accepts with x-apiward-ignore), so it is taken
    # before the display filters: --min-severity and --baseline change what is listed, not the score.
    audit_score = score(kept)
    findings = with_lines([f for f in kept if f.severity >= min_severity], source)
    stats: dict[str, object] = {
        "operations": len(model.operations),
        "rules_run": len(rules),
        "spec_version": model.spec_version,
    }
    if ignored:
        stats["ignored_in_spec"] = len(ignored)
    if baseline is not None:
        known = load_baseline(baseline)
        new = filter_baseline(findings, known)
        stats["suppressed"] = len(findings) - len(new)
        findings = list(new)
    stats["operation_keys"] = [op.ref.key for op in model.operations]
    report = Report(
        kind="audit",
        tool_version=__version__,
        target=EXAMPLE if example else source,
        findings=tuple(findings),
        stats=stats,
        score=audit_score,
        rules=tuple(rule_info(r) for r in rules),
        started=started,
        finished=datetime.now(UTC),
    )
    fmt = resolve_format(fmt, output)
    write_output(render(report, fmt, color=fmt == "console" and use_color(output)), output)
    code = exit_code_for(findings, fail_on)
    if code:
        sys.exit(code)


audit = audit_command
