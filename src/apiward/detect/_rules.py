"""Rules as data: each YAML file under ``rules/`` holds a list of rules for one family.

A rule has a stable ``id`` (never reused), a ``family``, a ``paranoia`` level (1–4), a ``confidence`` (which sets
its anomaly score), a ``description``, and either a ``pattern`` (a regex run by the multi-pattern engine) or a
``detector`` (the name of a code detector, e.g. ``sqli.quoted`` for the tokenizer, whose argument the
``pattern`` then is). ``targets`` restricts the kinds of
value a rule reads (``value``, ``key``, ``header``, ``path``, ``uri``, ``body``, ``file``, ``filename``, ``xmlraw``,
``header:user-agent``…); by default a rule reads every kind but ``header`` values of other rules' choosing. In a
pattern, ``\\A`` and ``\\z`` are the start and end of the value (``^``/``$`` are also line starts and ends).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from apiward.core import Confidence, ConfigError

__all__ = ["FAMILIES", "RULE_FILES", "SCORES", "Rule", "load_rules"]

# Explicit, ordered list of rule files (no discovery).
RULE_FILES = (
    "sqli.yaml",
    "sqli_vocab.yaml",
    "xss.yaml",
    "rce.yaml",
    "lfi.yaml",
    "rfi.yaml",
    "ssti.yaml",
    "nosql.yaml",
    "ldap.yaml",
    "xxe.yaml",
    "crlf.yaml",
    "java.yaml",
    "php.yaml",
    "generic.yaml",
    "session.yaml",
    "scanner.yaml",
    "protocol.yaml",
)

FAMILIES = (
    "sqli",
    "xss",
    "rce",
    "lfi",
    "rfi",
    "ssti",
    "nosql",
    "ldap",
    "xxe",
    "crlf",
    "java",
    "php",
    "generic",
    "session",
    "scanner",
    "protocol",
)

# Anomaly score per confidence, as in the CRS scoring model: one high-confidence match reaches the threshold (5).
SCORES: Mapping[Confidence, int] = {Confidence.HIGH: 5, Confidence.MEDIUM: 3, Confidence.LOW: 2}

_DEFAULT_TARGETS = frozenset({"value", "key", "path", "uri", "body", "file", "filename", "xmlraw", "header"})
_KNOWN_KEYS = frozenset(
    {"id", "family", "paranoia", "confidence", "description", "pattern", "detector", "targets", "examples"}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One detection rule; ``examples`` holds ``fire``/``pass`` strings the test-suite checks."""

    id: str
    family: str
    paranoia: int
    confidence: Confidence
    description: str
    pattern: str | None = None
    detector: str | None = None
    targets: frozenset[str] = _DEFAULT_TARGETS
    fire: tuple[str, ...] = ()
    ok: tuple[str, ...] = ()

    @property
    def score(self) -> int:
        return SCORES[self.confidence]

    def reads(self, kind: str, location: str) -> bool:
        # A target names a kind (``body``, ``value``…) or one location (``header:user-agent``, with a colon): the
        # raw XML text sits at location ``body`` with kind ``xmlraw``, and a ``body`` target must not read it. A
        # parameter's name shares its value's location (``query:size``); a location target means the value.
        return kind in self.targets or (kind != "key" and ":" in location and location in self.targets)


def _fail(source: str, index: int, message: str) -> ConfigError:
    return ConfigError(message, source=source, pointer=f"[{index}]")


def _rule(source: str, index: int, raw: Any) -> Rule:
    if not isinstance(raw, dict):
        raise _fail(source, index, "a rule must be a mapping")
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise _fail(source, index, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(_KNOWN_KEYS)}")
    for key in ("id", "family", "paranoia", "confidence", "description"):
        if key not in raw:
            raise _fail(source, index, f"missing '{key}'")
    if raw.get("pattern") is None and raw.get("detector") is None:
        raise _fail(source, index, "a rule needs a 'pattern', a 'detector', or both (the pattern is its argument)")
    family = str(raw["family"])
    if family not in FAMILIES:
        raise _fail(source, index, f"unknown family {family!r}; choose one of {', '.join(FAMILIES)}")
    paranoia = raw["paranoia"]
    if not isinstance(paranoia, int) or not 1 <= paranoia <= 4:
        raise _fail(source, index, "'paranoia' must be an integer from 1 to 4")
    try:
        confidence = Confidence.parse(str(raw["confidence"]))
    except ValueError as exc:
        raise _fail(source, index, str(exc)) from None
    targets = raw.get("targets")
    examples = raw.get("examples") or {}
    return Rule(
        id=str(raw["id"]),
        family=family,
        paranoia=paranoia,
        confidence=Confidence(confidence),
        description=" ".join(str(raw["description"]).split()),
        pattern=None if raw.get("pattern") is None else str(raw["pattern"]),
        detector=None if raw.get("detector") is None else str(raw["detector"]),
        targets=frozenset(str(t) for t in targets) if targets else _DEFAULT_TARGETS,
        fire=tuple(str(x) for x in examples.get("fire", ())),
        ok=tuple(str(x) for x in examples.get("pass", ())),
    )


def parse_rules(source: str, text: str) -> list[Rule]:
    """Parse one rule file's text; raise :class:`ConfigError` naming the file and rule index."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", source=source) from exc
    if not isinstance(data, list):
        raise ConfigError("a rule file must hold a list of rules", source=source)
    return [_rule(source, i, raw) for i, raw in enumerate(data)]


def check_unique(rules: Iterable[Rule]) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ConfigError(f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)


@cache
def load_rules() -> tuple[Rule, ...]:
    """The built-in rules, in file order; duplicate ids are rejected. Parsed once per process (immutable)."""
    folder = resources.files("apiward.detect") / "rules"
    rules: list[Rule] = []
    for name in RULE_FILES:
        rules.extend(parse_rules(f"rules/{name}", (folder / name).read_text(encoding="utf-8")))
    check_unique(rules)
    return tuple(rules)
