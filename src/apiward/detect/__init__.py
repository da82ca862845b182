"""Layer 1 — payload inspection: extract values from a request, decode them, run detectors, score.

    >>> from apiward.core import HttpRequest
    >>> from apiward.detect import Engine
    >>> engine = Engine(paranoia=1)
    >>> engine.inspect(HttpRequest(method="GET", path="/items", query="id=1%27%20or%201%3D1--")).is_attack
    True

The engine is pure (no I/O), synchronous, thread-safe, and never raises on any input.
"""

from apiward.detect._custom import example_failures, load_rule_files
from apiward.detect._decode import Step, decode_steps
from apiward.detect._engine import Engine
from apiward.detect._rules import FAMILIES, Rule, load_rules
from apiward.detect._sqli import Fingerprint, fingerprints
from apiward.detect._types import Exclusion, Inspection, Limits, Match

__all__ = [
    "FAMILIES",
    "Engine",
    "Exclusion",
    "Fingerprint",
    "Inspection",
    "Limits",
    "Match",
    "Rule",
    "Step",
    "decode_steps",
    "example_failures",
    "fingerprints",
    "load_rule_files",
    "load_rules",
]
