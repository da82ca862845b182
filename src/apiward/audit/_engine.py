"""``audit(model)``: run the rules over an ``ApiModel`` and return sorted, deduplicated findings."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from apiward.audit._rule import Rule
from apiward.audit._suppress import suppressions
from apiward.audit.rules import builtin_rules
from apiward.core import ApiwardError, ConfigError, Finding, Severity
from apiward.spec import ApiModel

__all__ = ["audit", "select_rules"]


def select_rules(
    rules: Iterable[Rule] | None = None,
    *,
    only: Collection[str] = (),
    skip: Collection[str] = (),
) -> list[Rule]:
    """The rules to run, in order: ``only`` keeps just those ids, ``skip`` drops ids; unknown ids raise ConfigError."""
    available = list(builtin_rules() if rules is None else rules)
    known = {r.id for r in available}
    unknown = sorted({i.upper() for i in (*only, *skip)} - known)
    if unknown:
        raise ConfigError(f"unknown rule id(s): {', '.join(unknown)}", pointer="--rules/--skip-rules")
    wanted = {i.upper() for i in only}
    dropped = {i.upper() for i in skip}
    return [r for r in available if (not wanted or r.id in wanted) and r.id not in dropped]


def audit(
    model: ApiModel,
    *,
    rules: Iterable[Rule] | None = None,
    only: Collection[str] = (),
    skip: Collection[str] = (),
    min_severity: Severity = Severity.INFO,
    suppress: bool = True,
) -> list[Finding]:
    """Run the (selected) rules over ``model``: findings most severe first, one per fingerprint.

    With ``suppress`` (the default) the description's own ``x-apiward-ignore`` entries are honoured
    (see :mod:`apiward.audit._suppress`); pass ``False`` to get every finding and split them yourself.

    A rule that crashes on an unusual description is a bug in apiward; it is reported as an
    :class:`ApiwardError` naming the rule rather than as a bare traceback.
    """
    found: dict[str, Finding] = {}
    for rule in select_rules(rules, only=only, skip=skip):
        try:
            findings = rule.run(model)
        except ApiwardError:
            raise
        except Exception as exc:
            raise ApiwardError(f"audit rule {rule.id} failed on {model.source}: {type(exc).__name__}: {exc}") from exc
        for finding in findings:
            if finding.severity >= min_severity:
                found.setdefault(finding.fingerprint, finding)
    findings = sorted(found.values(), key=lambda f: f.sort_key)
    if suppress:
        findings, _ = suppressions(model, builtin_rules().ids()).split(findings)
    return findings
