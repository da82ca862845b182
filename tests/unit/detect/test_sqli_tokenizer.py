"""The SQL tokenizer and fingerprints: where a quote breaks a string, how tokens fold, when literals compare true."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from apiward.detect import Engine, load_rules
from apiward.detect import _sqli as sqli
from apiward.detect._detectors import SQL_GATE_PATTERNS, TextView
from apiward.detect._regex import RegexSet
from apiward.detect._sqli import break_index, fingerprints, tautology

ENGINE = Engine(paranoia=2)


def _shape(text: str, context: str) -> str | None:
    return next((fp.shape for fp in fingerprints(text) if fp.context == context), None)


@pytest.mark.parametrize(
    "prose",
    [
        "If a FILE is '-' or missing, read standard input",
        "lines beginning with '#' are skipped",
        'both user="*" and group="*" match any connection',
        "the string `quoted-printable' or `base64' depending on the encoding",
        'such as "<stdin>", generated in interactive mode',
        "Our build fails with `error: linker 'cc' not found`; any ideas?",
        '"--verbose" flag',
        "10' or 12' ladder?",
        "the parents' union select committee",
        "Drop table reservations are open",
        "lsub(directory='\"\"', pattern='*')",
        "Reply 'STOP' to unsubscribe or '&page=1&sort=price",
        "my parents' -- and grandparents' -- house",
        "the kids' #summer fun",
        "the customers' order by phone",
        "Sleep(5) minutes then retry",
        'For example, "if (0 == 1) quit" will cause bc to terminate.',
        "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00' -0 or 1=(\ufffd\ufffd\ufffd\ufffd",
        'Monitor 24"-27"',
        'TV 55"-65" wall mount',
        'Fits 13" - 15.6" laptops',
        'Screen size: 27" - 4K',
        'Ruler 12" \u2013 30cm',
        'Drill bit set 1/16"-1/2"',
        "{stamp:'-1',necessary:true,preferences:true,method:'implied',ver:1,region:'us'}",
    ],
)
def test_quoted_terms_of_prose_are_not_string_breaks(prose: str) -> None:
    assert ENGINE.inspect_value(prose).scores.get("sqli", 0) == 0


@pytest.mark.parametrize(
    ("text", "index"),
    [("admin' or 1=1--", 5), ("' or 1=1", 0), (" ' or 1=1", 1), ("a '-' b' or 1=1--", 7), ("x 'a' b", -1)],
)
def test_break_index_finds_the_quote_that_closes_a_string(text: str, index: int) -> None:
    assert break_index(text, "'") == index


@pytest.mark.parametrize(
    ("text", "index"),
    [('24"-27"', -1), ('24"-27" x" or 1=1', 9), ('1" or 1=1', 1), ('1"-0#', 1), ('1"-sleep(5)-"', 1), ('1"-1 or 1', 1)],
)
def test_inch_marks_in_a_range_of_sizes_are_not_string_breaks(text: str, index: int) -> None:
    assert break_index(text, '"') == index


@given(st.text(st.sampled_from([*"ab1 '\"`-*#=()\n"]), max_size=60))
def test_break_index_is_a_quote_or_none(text: str) -> None:
    for quote in ("'", '"'):
        index = break_index(text, quote)
        assert index == -1 or text[index] == quote


@pytest.mark.parametrize(
    ("text", "context", "shape"),
    [
        ("1 is not 2", "as-is", "1o1"),
        ("a not like b", "as-is", "non"),
        ("x' or array[id] is not null--", "quote-single", "s&no1c"),
        (";truncate[xx", "as-is", ";Tn"),
        ("' notnull --", "quote-single", "sNc"),
        ("0/**/union/*!50000select*/1", "as-is", "1UE1"),
        ("1 union#x\ndistinctrow select 2", "as-is", "1UkE1"),
        ("from `db`.`t` limit", "as-is", "FsB"),
        ("x' and data @> '{}'", "quote-single", "s&nos"),
        ("q=it '&page=1", "quote-single", "s?no1"),
        ("div(23,-2)", "as-is", "f(1,1)"),
    ],
)
def test_tokens_fold_into_sql_shapes(text: str, context: str, shape: str) -> None:
    assert _shape(text, context) == shape


@pytest.mark.parametrize("text", ["'x'!='y", "1='1' or-- -", "'1' not regexp '2'", "1 is not 2", "x' or 2 glob 2--"])
def test_always_true_comparisons(text: str) -> None:
    assert tautology(fingerprints(text)) is not None


@pytest.mark.parametrize("text", ["1='2' or", "'a' is not 'a'", "size='1' px", "2+2=4"])
def test_comparisons_that_are_not_tautologies(text: str) -> None:
    assert tautology(fingerprints(text)) is None


def test_the_sql_gates_let_every_code_rule_example_through() -> None:
    gate = RegexSet(list(SQL_GATE_PATTERNS))
    examples = [x for rule in load_rules() if (rule.detector or "").startswith("sqli.") for x in rule.fire]
    assert examples
    for text in examples:
        assert TextView(text).sql_possible(), text
        assert gate.candidates([text]), text


# The tokenizer the fast one must agree with: one ``_TOKEN``-style match per token, each word typed by a chain of tests.
_REFERENCE_TOKEN = re.compile(
    r"""
    (?P<space>\s+|/\*!\d*|\*/)
  | (?P<comment>--[^\n]*|\#[^\n]*|/\*.*?(?:\*/|$))
  | (?P<string>'(?:[^'\\]|\\.|'')*(?:'|$)|"(?:[^"\\]|\\.|"")*(?:"|$)|`[^`]*(?:`|$))
  | (?P<number>0x[0-9a-f]+|0b[01]+|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+)
  | (?P<variable>@@?[\w.$]+|@`[^`]*`)
  | (?P<word>[^\W\d][\w$]*(?:\[[\w$.]*\])*|\[[\w$.]+(?:\]|$))
  | (?P<op>!=|<>|<=>|<=|>=|\|\||&&|::|:=|@>|<@|->>?|\?[|&]|@[?@]|[=<>!+\-*/%^|&~])
  | (?P<punct>[(),;.])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)


def _reference_word_type(word: str, following: str) -> str:
    lower = word.lower()
    for code, words in (("E", {"select"}), ("U", {"union"}), ("F", {"from"})):
        if lower in words:
            return code
    if (lower in sqli._FUNCTIONS or lower in sqli._OPERATOR_CALLS) and following.startswith("("):
        return "f"
    for code, words in (
        ("&", sqli._LOGIC),
        ("o", sqli._OPERATOR_WORDS),
        ("N", sqli._POSTFIX),
        ("1", sqli._LITERALS),
        ("T", sqli._VERBS),
        ("B", sqli._CLAUSES),
        ("k", sqli._KEYWORDS),
    ):
        if lower in words:
            return code
    return "n"


def _reference_tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text) and len(out) < 24:
        m = _REFERENCE_TOKEN.match(text, pos)
        assert m is not None
        pos = m.end()
        kind, value = m.lastgroup, m.group(0)
        if kind == "space":
            continue
        if kind == "comment":
            body = value[1:] if value.startswith("#") else value[2:]
            out.append(("C" if re.match(r"\s*[^\W\d_]{2,}", body) else "c", value))
        elif kind in ("string", "number", "variable", "other"):
            out.append(({"string": "s", "number": "1", "variable": "v", "other": "?"}[kind], value))
        elif kind == "word":
            following = text[pos : pos + 40].lstrip()
            if following.startswith("/*"):
                following = following.split("*/", 1)[-1].lstrip()
            out.append((_reference_word_type(value, following), value))
        elif kind == "op":
            if value == "&" and re.match(r"[\w.\[\]-]+=", text[pos:]):
                out.append(("?", value))
            else:
                out.append(("&" if value in ("||", "&&") else "a" if value in sqli._ODD_OPERATORS else "o", value))
        else:
            out.append((value, value))
    return out


def _reference_fold(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    after_dot = False
    for tok in tokens:
        kind, value = tok
        prev = out[-1][0] if out else ""
        if kind == "." and (prev in ("n", "k", "v") or (prev == "s" and out[-1][1].startswith("`"))):
            after_dot = True
            continue
        if after_dot and (kind in ("n", "k", "f") or (kind == "s" and value.startswith("`"))):
            after_dot = False
            out[-1] = ("f" if kind == "f" else out[-1][0], out[-1][1] + "." + value)
            continue
        after_dot = False
        if kind == "1" and prev == "o" and out[-1][1] in ("-", "+") and (len(out) == 1 or out[-2][0] in "(,&o"):
            out[-1] = tok
            continue
        if (kind == "s" and prev == "s") or (kind == "k" and value.lower() == "by" and prev == "B"):
            continue
        if prev == "&" and kind == "o" and out[-1][1].lower() == "not" and value.lower() in sqli._NEGATED:
            if len(out) > 1 and out[-2][0] in "1snv)":
                out[-1] = ("o", "not " + value)
                continue
        if prev == "o" and kind == "&" and value.lower() == "not" and out[-1][1].lower() == "is":
            out[-1] = ("o", "is not")
            continue
        if prev in ("c", "C") and (out[-1][1].startswith("/*") or (len(out) > 1 and out[-2][0] == "U")):
            out.pop()
            prev = out[-1][0] if out else ""
            if kind == "s" and prev == "s":
                continue
        out.append(tok)
        if len(out) >= 12:
            break
    return out


def _reference_fingerprints(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    text = text[:4096]
    contexts = [("as-is", _reference_tokens(text))]
    for quote, name in (("'", "quote-single"), ('"', "quote-double")):
        index = break_index(text, quote)
        if index >= 0:
            contexts.append((name, [("s", text[:index]), *_reference_tokens(text[index + 1 :])]))
    folded = [(name, _reference_fold(tokens)) for name, tokens in contexts]
    return [(name, "".join(k for k, _ in tokens), tuple(v for _, v in tokens)) for name, tokens in folded]


_PIECES = st.sampled_from(
    [
        *["select", "UNION", "from", "or", "not", "like", "is", "by", "order", "sleep", "div", "isnull", "null", "x"],
        *["O", "café", "東京", "ſelect", "\u212aey", "a1", "3rd", "_id", "Ⅻ", "٣", "0x1f", ".5", "1e5", "@@v", "a[b]"],
        *"'\"`$[].,;()=&#*+-/~:?\\",
        *["&page=1", "--", "/*", "*/", "/*!50000", "&&", "||"],
    ]
)
_GAPS = st.sampled_from(["", " ", " ", "  ", "\t", "\n", "\x1c", "\u00a0", "\u2003", " " * 41, " /**/ "])
_SQLISH = st.lists(st.tuples(_PIECES, _GAPS).map("".join), max_size=14).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_SQLISH, st.text(max_size=40)))
@example("sleep (1)")
@example('` /**/ Key`3rd *  not " Key\tsleep' + " " * 41 + '. /**/ .\t"' + " " * 30 + "\\")
@example("hex" + " " * 41 + "(")
@example("a b$c d")
@example("x' order by 1 union/**/select a.b, `c`.`d`")
@example("-1 'a' 'b' not like 2 is not null union#x\nselect -- x\n1")
def test_fingerprints_are_those_of_one_match_per_token(text: str) -> None:
    assert [(fp.context, fp.shape, fp.tokens) for fp in fingerprints(text)] == _reference_fingerprints(text)
    assert list(sqli._tokens(text)) == _reference_tokens(text)
