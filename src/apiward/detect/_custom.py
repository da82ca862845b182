"""A team's own rules: YAML files in the built-in rule format, added to the built-in set and checked before use.

Custom rules are how a finding becomes a gateway rule before the application is fixed (a *virtual patch*): a
pattern for the one parameter shape that exploits it, on the route and location where it arrives. They are pattern
rules (optionally ``detector: base64-of``); the code detectors and extractor anomalies are built in. Each rule's
``examples`` are run when the rules are loaded: a ``fire`` example that does not fire the rule, or a ``pass``
example that does, is a configuration error — a rule that no longer matches what it was written for is found at
start-up, not after the attack gets through.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from apiward.core import ConfigError
from apiward.detect._detectors import base64_regex
from apiward.detect._regex import pattern_error
from apiward.detect._rules import Rule, load_rules, parse_rules

if TYPE_CHECKING:
    from apiward.detect._engine import Engine

__all__ = ["example_failures", "example_location", "load_rule_files"]

_CUSTOM_DETECTORS = (None, "base64-of")


def load_rule_files(paths: Iterable[str | Path]) -> tuple[Rule, ...]:
    """The rules of ``paths``, in order. Raises :class:`ConfigError` naming the file (and rule index) for an
    unreadable file, invalid YAML or rule, a detector custom rules cannot use, or an id already taken."""
    rules: list[Rule] = []
    taken = {rule.id: "a built-in rule (list them with 'apiward detect rules')" for rule in load_rules()}
    for path in paths:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise ConfigError(f"cannot read the rule file: {reason}", source=source) from None
        for index, rule in enumerate(parse_rules(source, text)):
            pattern = rule.pattern
            if rule.detector not in _CUSTOM_DETECTORS or pattern is None:
                raise ConfigError(
                    f"rule {rule.id}: a custom rule is a 'pattern' (optionally with detector 'base64-of'); "
                    f"detector {rule.detector!r} is built in only",
                    source=source,
                    pointer=f"[{index}]",
                )
            problem = pattern_error(base64_regex(pattern) if rule.detector == "base64-of" else pattern)
            if problem is not None:
                raise ConfigError(f"rule {rule.id}: pattern {problem}", source=source, pointer=f"[{index}]")
            if rule.id in taken:
                raise ConfigError(
                    f"rule id {rule.id!r} is taken by {taken[rule.id]}", source=source, pointer=f"[{index}]"
                )
            taken[rule.id] = f"rule [{index}] of {source}"
            rules.append(rule)
    return tuple(rules)


def example_location(targets: frozenset[str]) -> str:
    """A location of a kind a rule with ``targets`` reads: where its examples are checked."""
    if len(targets) > 6 and "filename" not in targets:
        return "value"
    for target, location in (
        ("filename", "body:file#filename"),
        ("key", "body:/x#key"),
        ("path", "path"),
        ("value", "value"),
        ("header", "header:x-test"),
    ):
        if target in targets:
            return location
    return sorted(targets)[0]


def example_failures(engine: Engine, rules: Sequence[Rule]) -> list[str]:
    """What is wrong with ``rules``' examples on ``engine``: each ``fire`` example that does not fire its rule and
    each ``pass`` example that does. Rules above the engine's paranoia level are not loaded in it, so not checked."""
    problems: list[str] = []
    for rule in rules:
        if rule.paranoia > engine.paranoia:
            continue
        location = example_location(rule.targets)
        for expected, examples in ((True, rule.fire), (False, rule.ok)):
            for text in examples:
                fired = rule.id in {m.rule_id for m in engine.inspect_value(text, location).matches}
                if fired is not expected:
                    verb = "does not fire on its 'fire' example" if expected else "fires on its 'pass' example"
                    problems.append(f"{rule.id} {verb} {text[:80]!r}")
    return problems
