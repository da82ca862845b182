"""Layer 2 — the static audit: security rules over an ``ApiModel``, one rule per module (``AUD-nnn``).

>>> from apiward.audit import audit, score
>>> findings = audit(model)          # sorted, most severe first
>>> score(findings)                  # 0–100
"""

from apiward.audit._engine import audit, select_rules
from apiward.audit._lines import with_lines
from apiward.audit._registry import Registry
from apiward.audit._rule import CheckFn, Hit, Rule, RuleMeta, rule
from apiward.audit._score import score
from apiward.audit._suppress import EXTENSION as IGNORE_EXTENSION
from apiward.audit._suppress import Suppressions, suppressions
from apiward.audit.rules import RULE_MODULES, builtin_rules

__all__ = [
    "IGNORE_EXTENSION",
    "RULE_MODULES",
    "CheckFn",
    "Hit",
    "Registry",
    "Rule",
    "RuleMeta",
    "Suppressions",
    "audit",
    "builtin_rules",
    "rule",
    "score",
    "select_rules",
    "suppressions",
    "with_lines",
]
