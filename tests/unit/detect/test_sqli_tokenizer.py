"""The SQL tokenizer and fingerprints: where a quote breaks a string, how tokens fold, when literals compare true."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apiward.detect import Engine, load_rules
from apiward.detect._detectors import SQL_GATE_PATTERN, TextView
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
    gate = re.compile(SQL_GATE_PATTERN, re.IGNORECASE | re.MULTILINE)
    examples = [x for rule in load_rules() if (rule.detector or "").startswith("sqli.") for x in rule.fire]
    assert examples
    for example in examples:
        assert TextView(example).sql_possible(), example
        assert gate.search(example), example
