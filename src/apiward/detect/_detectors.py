"""Code detectors: rules whose ``detector`` names one of these instead of (only) a pattern.

- ``sqli.quoted`` / ``sqli.asis``: the rule's pattern is a regex over the SQL fingerprint (see ``_sqli``) in the
  quote-break contexts or the as-is (numeric) context. ``sqli.quoted-lead``: the quote-break contexts where the quote
  opens the value (no letter or digit before it), the shape of a probe rather than of prose with an apostrophe.
- ``sqli.tautology``: a comparison of two literals that always holds (the pattern is unused).
- ``base64-of``: the rule's pattern is a ``|``-separated list of words; it becomes a regex matching the base64
  encoding of any of them at any of the three byte alignments (so a gadget class name hidden inside a base64 blob
  is seen without decoding the blob).
- ``anomaly``: the rule's pattern is an anomaly id reported by extraction (``json-invalid``, ``header-crlf``…).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable

from apiward.detect._sqli import Fingerprint, break_index, fingerprints, tautology

__all__ = [
    "DETECTORS",
    "SHAPE_DETECTORS",
    "SQL_GATE_PATTERN",
    "Detector",
    "TextView",
    "base64_regex",
    "shape_screen",
    "sqli_detector",
]

# Cheap gates: a text that passes neither cannot take any SQL injection shape the rules name, so the tokenizer
# is not run on it. A quote context is interesting only when what follows the first quote can start an injection
# (an operator, a comment, a parenthesis, a number, or a SQL word such as OR/UNION/ORDER) — "it's" is not. As-is
# shapes start with a number, sign, parenthesis, logic operator or SELECT, or contain a SELECT that reads like
# one (SELECT … FROM, SELECT @@x, SELECT f(…)), a UNION followed by SELECT or a parenthesis, or a literal compared:
# prose that merely says "select" or "union" is not tokenized.
# Both gates are written once, as templates: the Python gates run on one text, the Hyperscan pattern on the joined
# scan buffer, where a gap (SELECT … FROM, UNION … SELECT, a quoted string) must not run past the separator byte.
_QUOTE_FOLLOWERS = (
    r"[\s)]*(?:$|[^\w\s]|\d|(?:and|or|xor|not|union|order|group|having|where|limit|procedure|into|like|rlike|"
    r"regexp|is|in|between|div|mod|sounds|collate|waitfor|select|sleep|benchmark|if|case|exec|execute|declare|drop|"
    r"insert|update|delete|create|alter|shutdown|notnull|isnull|unlikely|likely|glob|ilike|print|truncate|grant|"
    r"revoke|merge|call|handler|load|copy|pragma|attach)\b)"
)
_ASIS_SHAPES = (
    r"^[\s(+-]*(?:\d[\w.]*|@@?\w+|\w+)[\s)]*(?:&&|\|\||;|#|--|/\*|[=<>!]|\b(?:and|or|xor|not|union|order|group|"
    r"having|procedure|limit|into|div|like|regexp|rlike|is|in|glob|ilike)\b)|"
    r"^[\s(+-]*\d[\d.]*(?:and|or|xor|div|like|regexp|rlike|is|in|union|order|group|having|limit|into)\b|"
    r"^\s*(?:&&|\|\||(?:and|or|xor|not|select)\b)|"
    r"\bselect\b(?:\s*[(@*\d'\"]|\s+\w+\s*\(|{gap}\bfrom\b)|^[\s(,]*\w+\s*\(|\bunion\b(?:\s*\(|{gap}\bselect\b)|"
    r"^\s*[;@]|^[\s(]*(?:from|having|limit|order|group)\b|"
    r"(?:[\d'\"]|\bnull|\btrue|\bfalse)\s*\)*\s*(?:[=<>!]|(?:like|is|regexp|rlike|glob|ilike|not)\b)|"
    r"^\s*\)|^\s*(?:'[^'{sep}]*'|\"[^\"{sep}]*\")\s*,"
)
_AFTER_QUOTE = re.compile(_QUOTE_FOLLOWERS, re.IGNORECASE)


def _asis_shapes(gap: str, sep: str) -> str:
    # str.replace, not str.format: the pattern may hold regex braces ({2,}) of its own.
    return _ASIS_SHAPES.replace("{gap}", gap).replace("{sep}", sep)


_ASIS_GATE = re.compile(_asis_shapes(r"[\s\S]*?", ""), re.IGNORECASE)


def _binary(text: str) -> bool:
    """Bytes of an image or archive read as text: their quotes and operators are noise, not SQL. (A NUL byte in a
    value is a protocol finding of its own.)"""
    return text.count("\x00") + text.count("\ufffd") >= 4


def _quote_gate(text: str) -> bool:
    for quote in ("'", '"'):
        index = break_index(text, quote)
        if index >= 0 and _AFTER_QUOTE.match(text, index + 1):
            return True
    return False


# The same gates as one pattern for the multi-pattern engine (a superset: any quote, not only the first).
SQL_GATE_PATTERN = r"['\"]" + _QUOTE_FOLLOWERS + "|" + _asis_shapes(r"[^\x01]*", r"\x01")


class TextView:
    """One decoded text with lazily computed, cached analyses shared by every code rule.

    ``gate`` is the multi-pattern engine's verdict on :data:`SQL_GATE_PATTERN` when known (``None``: compute it).
    """

    __slots__ = ("_fingerprints", "_possible", "text")

    def __init__(self, text: str, gate: bool | None = None) -> None:
        self.text = text
        self._fingerprints: list[Fingerprint] | None = None
        self._possible: bool | None = None if gate is None else (gate and self._exact_gate())

    def _exact_gate(self) -> bool:
        if _binary(self.text):
            return False
        return _quote_gate(self.text) or _ASIS_GATE.search(self.text) is not None

    def sql_fingerprints(self) -> list[Fingerprint]:
        if self._fingerprints is None:
            self._fingerprints = fingerprints(self.text) if self.sql_possible() else []
        return self._fingerprints

    def sql_possible(self) -> bool:
        if self._possible is None:
            self._possible = self._exact_gate()
        return self._possible


def _b64_forms(word: bytes) -> list[str]:
    """The stable base64 characters of ``word`` at byte offsets 0, 1 and 2 (edge characters depend on neighbours)."""
    forms = []
    for shift in range(3):
        encoded = base64.b64encode(b"\x00" * shift + word).decode("ascii").rstrip("=")
        start = {0: 0, 1: 2, 2: 3}[shift]
        tail = (shift + len(word)) % 3
        end = len(encoded) - (1 if tail else 0)
        forms.append(encoded[start:end])
    return forms


def base64_regex(words: str) -> str:
    parts: list[str] = []
    for word in words.split("|"):
        word = word.strip()
        if word:
            parts.extend(re.escape(f) for f in _b64_forms(word.encode()) if len(f) >= 8)
    return "(?-i:" + "|".join(sorted(set(parts))) + ")"


def sqli_detector(
    contexts: tuple[str, ...], *, lead: bool = False
) -> Callable[[re.Pattern[str], TextView], str | None]:
    """A detector matching the rule's pattern on the fingerprints of ``contexts``; with ``lead``, only where the
    quote opens the value (no letter or digit before it: ``' union/``, not ``workers' union`` or ``10' or 12'``)."""

    def detect(shape: re.Pattern[str], view: TextView) -> str | None:
        for fp in view.sql_fingerprints():
            if fp.context not in contexts or (lead and _WORDY.search(fp.tokens[0])):
                continue
            if shape.search(fp.shape):
                return f"[{fp.context} {fp.shape}] " + " ".join(fp.tokens)[:100]
        return None

    return detect


_WORDY = re.compile(r"\w")


def _tautology(_shape: re.Pattern[str], view: TextView) -> str | None:
    return tautology(view.sql_fingerprints())


Detector = Callable[[re.Pattern[str], TextView], str | None]

DETECTORS: dict[str, Detector] = {
    "sqli.quoted": sqli_detector(("quote-single", "quote-double")),
    "sqli.quoted-lead": sqli_detector(("quote-single", "quote-double"), lead=True),
    "sqli.asis": sqli_detector(("as-is",)),
    "sqli.tautology": _tautology,
}

# The detectors that fire only where the rule's pattern matches the shape of one of the text's fingerprints.
SHAPE_DETECTORS = frozenset({"sqli.quoted", "sqli.quoted-lead", "sqli.asis"})


def shape_screen(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern that matches a shape wherever one of ``patterns`` does, so that a text none of whose fingerprint
    shapes it matches is passed over by all their rules at once (most texts that pass the SQL gate are prose and
    take none of the shapes). ``None`` when they cannot be joined (a capturing group, a global flag)."""
    patterns = list(patterns)
    try:
        if not patterns or any(re.compile(p).groups for p in patterns):
            return None
        return re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error:
        return None
