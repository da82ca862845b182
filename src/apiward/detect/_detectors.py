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

import re2

from apiward.detect._sqli import CALLABLE, WORD_TYPES, Fingerprint, break_index, fingerprints, tautology

__all__ = [
    "DETECTORS",
    "QUOTE_PATTERN",
    "SHAPE_DETECTORS",
    "SQL_GATE_PATTERNS",
    "Detector",
    "TextView",
    "base64_regex",
    "shape_screen",
    "sqli_detector",
]

# The SQL gate: patterns that together match every text on which a SQL code rule can fire, so that the tokenizer runs
# only on those (most texts hold no SQL shape). They are written from the rules' fingerprint shapes, token by token,
# each token spelled as a superset of the texts that give it and adjacent tokens joined by a gap:
#
#   gap      what may lie between two tokens of a fingerprint: spaces, ASCII punctuation and operators (an extra
#            token there only lets more through), comments (folded away between tokens), MySQL's /*!50000 (a space);
#   name     a word, possibly dotted (schema.table folds into one); number one that starts with a digit of any script
#            (the tokenizer's \d); literal a number or NULL/TRUE/FALSE…; string quoted, possibly several ('a' 'b'
#            folds into one); keywords by their vocabulary in ``_sqli``, 'order by' one clause, 'not like' and 'is not'
#            one operator. A keyword starts at a word boundary, right after a digit ('1or' is 1 then OR,
#            '/*!50000select' is SELECT) or after a number ('0x1for' is 0x1f then OR); the Kelvin sign, which
#            lowercases to 'k', spells a 'k'.
#
# and the rules' shapes, as far as they are selective:
#
#   quote-break rules (sqli.quoted, sqli.quoted-lead): the break quote followed, after spaces and ')', by the token
#       their shapes start with: an operator, comment, ';', ',' or other symbol, a SQL word or function, the end;
#   SQLI-004 (shapes starting 1, n, ;, o, F, B), SQLI-006 (E), SQLI-007 (&), SQLI-020 (f), SQLI-026 ()),
#   SQLI-029 (s, 1s) at the start of the value; SQLI-005 (UNION [k] SELECT) and SQLI-008 (a literal compared with a
#   literal) anywhere.
#
# What it can miss: a shape beyond the first 4096 characters (fingerprints do not read further), in a value holding the
# \x01 byte (the multi-pattern engine's gaps stop there, to stay within one value), after MySQL's /*! opening followed
# by digits of another script, or a function name run into a hexadecimal number ('0x1fhex(': MySQL reads neither as
# such). Word boundaries are ASCII: a non-ASCII letter next to a keyword only lets more through. Hyperscan takes the
# patterns as bytes (a non-ASCII character is a UTF-8 sequence), RE2 (for a text whose verdict Hyperscan did not give)
# as code points.
_ANY = r"[^\x01]"
_UNICODE_SPACES = "".join(c for c in map(chr, range(0x80, 0x3001)) if c.isspace())


def _ranges(values: Iterable[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for value in sorted(values):
        if out and out[-1][1] == value - 1:
            out[-1] = (out[-1][0], value)
        else:
            out.append((value, value))
    return out


def _utf8(chars: str) -> str:
    """Bytes pattern for any of ``chars``: their UTF-8 forms, grouped by all but the last byte."""
    tails: dict[bytes, list[int]] = {}
    for char in chars:
        encoded = char.encode()
        tails.setdefault(encoded[:-1], []).append(encoded[-1])
    alternatives = []
    for head, last in tails.items():
        spans = "".join(f"\\x{a:02x}" if a == b else f"\\x{a:02x}-\\x{b:02x}" for a, b in _ranges(last))
        alternatives.append("".join(f"\\x{b:02x}" for b in head) + f"[{spans}]")
    return "(?:" + "|".join(alternatives) + ")"


def _codepoints(chars: str) -> str:
    spans = "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in _ranges(map(ord, chars)))
    return f"[{spans}]"


def _sql_gate(high: str, space: str, kelvin: str) -> list[str]:
    """The gate patterns, one per shape (together they are too large for one Hyperscan pattern). ``high`` is the class
    range of non-ASCII characters, ``space`` the pattern of a non-ASCII space, ``kelvin`` that of a 'k'."""

    def either(vocabulary: Iterable[str]) -> str:
        spelled = (w.replace("k", kelvin) for w in sorted(vocabulary, key=lambda w: (-len(w), w)) if w.isidentifier())
        return "(?:" + "|".join(spelled) + ")"

    def typed(*types: str) -> set[str]:
        return {word for word, kind in WORD_TYPES.items() if kind in types}

    figure = rf"[\d{high}]"  # (a digit of any script: the tokenizer's \d)
    mysql = r"/\*!\d*"  # MySQL's executable comment opening, a space to the tokenizer
    ws = rf"(?:[\t\n\x0b\x0c\r \x1c-\x1f]|{space})"  # (the tokenizer's \s)
    symbol = rf"[^\w\s'\"`#\x01{high}]"  # an ASCII character that is no word character, space, quote or '#'
    # A comment ends at the first */ (or the end of the line): spelled so that a match cannot stop inside one.
    block_comment = r"/\*(?:[^*\x01]|\*+[^*/\x01])*\*+/"
    g = rf"(?:{ws}|{symbol}|{mysql}|{block_comment}|(?:#|--)[^\x01\n]*\n)*"
    last_gap = rf"{g}(?:(?:/\*|#|--){_ANY}*)?$"  # (a comment may run to the end; $ can only end a Hyperscan pattern)
    # What comes before the first token: spaces, and block comments (folded away once a token follows).
    start = rf"^(?:{ws}|{mysql}|\*/|{block_comment})*"
    sign = rf"(?:[-+]{start[1:]})?"  # (a sign before the first number folds into it)
    at = rf"(?:\b|[\d{high}])"
    word = rf"[\w$\[\]`{high}]+"
    dot = rf"(?:{ws}|{symbol}|{mysql})*\.(?:{ws}|{symbol}|{mysql})*"
    name = rf"{word}(?:{dot}{word})*"  # (schema.table folds into one)
    number = rf"\.?{figure}(?:[\w.{high}]|e[-+])*"
    literal = rf"(?:{number}|{at}{either(typed('1'))}\b)"
    # A literal and where a word after it starts: a number may run into it ('1or' is 1 then OR, '0x1for' 0x1f then OR).
    literal_then = rf"(?:{literal}{g}{at}|{number})"
    quoted = rf"(?:'{_ANY}*?'|\"{_ANY}*?\"|`{_ANY}*?`)"  # (closed: a token follows it in every shape below)
    string = rf"{quoted}(?:{g}{quoted})*"
    variable = rf"@(?:@?[\w.${high}]+|`)"
    function = rf"(?:{word}{dot})*{at}{either(CALLABLE)}\b"  # (x.hex( is one function)
    op_word = either(typed("o"))
    symbols = r"[-=<>!+*/%^|&~@?:]+"
    # (NOT LIKE and IS NOT fold into one operator)
    operator = rf"(?:(?:{at}not\b{g})?{at}{op_word}\b(?:{g}{at}not\b)?|{symbols})"
    after_literal = rf"(?:{literal}{g}{symbols}|{literal_then}(?:not\b{g}{at})?{op_word}\b(?:{g}{at}not\b)?)"
    # SQLI-008 compares numbers, NULL/TRUE/FALSE and quoted strings, with nothing between them but spaces and
    # comments (no '#' or '--' one: it would stay a token), and is looked for anywhere: it is kept cheap to scan for.
    truth_words = "(?:null|true|false)"
    truth = rf"(?:{number}|{at}{truth_words}\b|['\"])"
    near = rf"(?:[^\w'\"`\x01#{high}]|{space}|{block_comment})*"
    comparison_word = (
        rf"(?:not\b{near}{at})?{either(('like', 'is', 'regexp', 'rlike', 'glob', 'ilike'))}\b(?:{near}{at}not\b)?"
    )
    comparison = rf"(?:<=>|!=|<>|>=|<=|[=<>]|{at}{comparison_word})"
    logic = rf"(?:{at}(?:and|or|xor|not)\b|&&|\|\|)"
    clause_words = either(typed("B"))
    clause = rf"{at}{clause_words}\b(?:{g}{at}by\b)*"
    select = rf"{at}select\b"
    union_select = rf"union\b{g}(?:{at}{either(typed('k'))}\b{g})?{select}"
    keyword = rf"{at}{either(typed('&', 'o', 'N', 'T', 'B', 'k', 'E', 'U'))}\b"
    parentheses = rf"(?:\({start[1:]})*"
    # A shape naming a function has a pattern of its own: with the function names, one would be too large.
    return [
        # the quote-break rules (QUOTE_PATTERN below)
        rf"['\"](?:{ws}|\))*(?:[^\w\s\x01)]|\d|$|[{high}]|{keyword}|{function})",
        # SQLI-004
        rf"{start}{sign}(?:{literal}{g}(?:&&|\|\||;)|{literal_then}(?:and|or|xor|not|{clause_words})\b)",
        rf"{start}{name}{g}{logic}{g}(?:{after_literal}|{variable}{g}{operator})",
        rf"{start}{name}{g}{logic}{g}{function}{g}\(",
        rf"{start};",
        rf"\({g}{select}",  # (1 = (SELECT, n IN (SELECT, = (SELECT…: anywhere, to be cheap to scan for)
        rf"{start}{parentheses}{at}from\b{g}(?:{string}|{name}){g}{clause}",
        rf"{start}{clause}{g}{sign}{literal}",
        rf"{start}{clause}{g}{function}{g}\(",
        # SQLI-005, and SQLI-004's shapes with UNION after their first token
        rf"(?:{at}|{number}){union_select}",
        # SQLI-006
        rf"{start}{parentheses}{select}{g}(?:{operator}{g}{at}from\b|{literal}|{string}|{variable}|{name}{g}{at}from\b)",
        rf"{start}{parentheses}{select}{_ANY}*?,{_ANY}*?(?:{at}|{number})from\b",
        rf"{start}{parentheses}{select}{_ANY}*?{function}{g}\(",
        # SQLI-007
        rf"{start}{logic}{g}(?:{after_literal}|{literal}{last_gap})",
        rf"{start}{logic}{g}(?:{name}|{string}|{variable}){g}{operator}",
        rf"{start}{logic}{g}{function}{g}\(",
        # SQLI-020
        rf"{start}(?:{ws}|{symbol}|{mysql}|{block_comment}|{at}(?:and|or|xor|not|{op_word})\b)*{function}{g}\(",
        # SQLI-026
        rf"{start}\){g}(?:(?:{at}not\b{g})?{at}{op_word}\b(?:{g}{at}not\b)?{g})?\(",
        # SQLI-029
        rf"{start}(?:['\"`]{_ANY}*,|{sign}{literal}{g}['\"`])",
        # SQLI-008
        rf"(?:{truth}{near}{comparison}|{number}{comparison_word}){near}(?:\.?{figure}|['\"]|{at}{truth_words}\b)",
    ]


SQL_GATE_PATTERNS = tuple(_sql_gate(r"\x80-\xff", _utf8(_UNICODE_SPACES), r"(?:k|\xe2\x84\xaa)"))
# The index of the pattern for the quote-break rules: a text only it matches is one whose quote contexts are the only
# ones that can take a shape, and :func:`_quote_gate` tells that more closely.
QUOTE_PATTERN = 0


def _re2_gate() -> re2._Regexp:
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = 64 << 20
    patterns = _sql_gate(r"\x{80}-\x{10ffff}", _codepoints(_UNICODE_SPACES), r"(?:k|\x{212a})")
    return re2.compile("(?m)" + "|".join(f"(?:{pattern})" for pattern in patterns), options)


_SQL_GATE = _re2_gate()
# What may follow a quote that breaks a string for a quote-break rule to fire (the quote pattern, read on the text
# with Python's own Unicode classes, as the tokenizer reads it).
_AFTER_QUOTE = re.compile(
    r"[\s)]*+(?:$|[^\w\s)]|\d|(?:"
    + "|".join(sorted(w for w, t in WORD_TYPES.items() if t in "&oNTBkEU" and w.isidentifier()))
    + r")\b|(?:[\w$\[\]`]++(?:\s|/\*!\d*+|\*/)*+\.(?:\s|/\*!\d*+|\*/|\.)*+)*+(?:"
    + "|".join(sorted(CALLABLE))
    + r")\b)",
    re.IGNORECASE,
)


def _quote_gate(text: str) -> bool:
    """Whether a quote-break rule can fire on ``text``: its break quotes (:func:`break_index`) followed by a token
    their shapes can start with."""
    for quote in ("'", '"'):
        index = break_index(text, quote)
        if index >= 0 and _AFTER_QUOTE.match(text, index + 1):
            return True
    return False


def _binary(text: str) -> bool:
    """Bytes of an image or archive read as text: their quotes and operators are noise, not SQL. (A NUL byte in a
    value is a protocol finding of its own.)"""
    return text.count("\x00") + text.count("\ufffd") >= 4


class TextView:
    """One decoded text with lazily computed, cached analyses shared by every code rule.

    ``gate`` is the multi-pattern engine's verdict on :data:`SQL_GATE_PATTERNS` when known (``None``: compute it);
    ``quoted`` that only the quote pattern matched, so that only quote-break rules can fire.
    """

    __slots__ = ("_fingerprints", "_possible", "text")

    def __init__(self, text: str, gate: bool | None = None, *, quoted: bool = False) -> None:
        self.text = text
        self._fingerprints: list[Fingerprint] | None = None
        self._possible: bool | None = None
        if gate is not None:
            self._possible = gate and not _binary(text) and (not quoted or _quote_gate(text))

    def sql_fingerprints(self) -> list[Fingerprint]:
        if self._fingerprints is None:
            self._fingerprints = fingerprints(self.text) if self.sql_possible() else []
        return self._fingerprints

    def sql_possible(self) -> bool:
        if self._possible is None:
            self._possible = not _binary(self.text) and _SQL_GATE.search(self.text) is not None
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
