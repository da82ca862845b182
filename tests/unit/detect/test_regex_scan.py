"""The multi-pattern scan attributes every hit in the joined buffer to the value it fell in."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from apiward.detect._regex import SEPARATOR, RegexSet, _open_ended

_PATTERNS = ["ab", "é", "東a", "b b", "z"]
_REGEX = RegexSet(_PATTERNS)
# Multi-byte characters shift byte offsets away from character offsets; a value may hold the separator's bytes.
_PIECES = st.sampled_from(["a", "b", " ", "z", "é", "東", "\n", "\x01", SEPARATOR, "\ud800", "ab", "東a"])
_TEXTS = st.lists(st.lists(_PIECES, max_size=8).map("".join), min_size=1, max_size=8)


def _expected(texts: list[str]) -> set[tuple[int, int]]:
    # A lone surrogate is '?' in the scanned buffer; no pattern spans a separator (none holds its bytes).
    return {
        (index, pattern_id)
        for index, text in enumerate(texts)
        for pattern_id, pattern in enumerate(_PATTERNS)
        if pattern in text.encode("utf-8", "replace").decode()
    }


@settings(max_examples=1000, deadline=None)
@given(_TEXTS)
@example(["東a", "ab", "x\x01y", "z"])
@example(["", "", "z"])
@example(["ab" * 3, "é" * 5 + "東a", "b b"])
def test_every_hit_is_attributed_to_the_value_it_fell_in(texts: list[str]) -> None:
    assert _REGEX.candidates(texts) == _expected(texts)


def test_a_value_holding_the_separator_keeps_later_hits_in_their_own_values() -> None:
    texts = ["a" + SEPARATOR + "b", "x", "z", "東a"]
    assert _REGEX.candidates(texts) == {(2, 4), (3, 2)}


_ANCHORED = RegexSet([r"\Aa", r"b\z"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "é", "\n", " "]), max_size=4).map("".join), min_size=1, max_size=6))
@example(["b", "a", "", "ab"])
def test_value_anchored_hits_are_attributed_to_their_value(texts: list[str]) -> None:
    expected = {(i, 0) for i, t in enumerate(texts) if t.startswith("a")}
    expected |= {(i, 1) for i, t in enumerate(texts) if t.endswith("b")}
    assert _ANCHORED.candidates(texts) == expected


@pytest.mark.parametrize(
    ("pattern", "open_ended"),
    [
        (r"(?:[;:][^;:\x01]*){2}", True),
        (r"a.*|b[^c]{2,}", True),
        (r"(?i:a[^]b]+)", True),
        (r"a.*b", False),  # ends in a literal
        (r"x|a.*", False),  # one branch does not end in a run
        (r"(?:a.*)?", False),  # may match nothing after what came before
        (r"a.{2,5}", False),  # bounded
        (r"a[b-z]*", False),  # a run of named characters, not of all but a few
        (r"a.*$", False),  # end anchors cannot be followed in Hyperscan
        (r"a.*\z", False),
        (r"(?=a).*", False),  # a construct it does not know
    ],
)
def test_patterns_that_would_match_all_along_a_run_are_told_apart(pattern: str, open_ended: bool) -> None:
    assert _open_ended(pattern) is open_ended


def test_a_pattern_that_matches_all_along_a_run_is_reported_once_per_value() -> None:
    regex = RegexSet([r"(?:[;:][^;:\x01]*){2}", r"[;:][^;:\x01]*[;:]"])
    texts = ["a;b:cccccccc", "no", "x;y;;z:q " * 20, ":"]
    assert regex.candidates(texts) == {(0, 0), (0, 1), (2, 0), (2, 1)}
    reports: list[tuple[int, int]] = []
    buffer = SEPARATOR.join(texts).encode()
    assert regex._db is not None
    # A database loaded from the on-disk cache has no scratch of its own: scan with the set's.
    regex._db.scan(
        buffer, match_event_handler=lambda i, _s, end, _f, _c: reports.append((i, end)), scratch=regex._scratch()
    )
    assert sorted(i for i, _ in reports).count(0) == 2  # the open-ended pattern: once in each value it is in
    assert sorted(i for i, _ in reports).count(1) > 20  # the other: at every closing meta-character


# SQLI-033's shape: a branch that reports at every later digit, one ending in ``$``, one in a run of a class.
_REPEATING = [r"'[\s\d]*[!-/][!-/\s]*\d.*['\d]|^\s*['`;]|['`]\s*$|`\s*;|[!-/:-@]{4,}", r"a\s*$|b+", r"c\z|d+"]
_REPEATING_PIECES = st.sampled_from(["'", "`", "1", ";", "....", " ", "\n", "a", "b", "d", "c", "\x01", SEPARATOR])


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(_REPEATING_PIECES, max_size=8).map("".join), min_size=1, max_size=6))
@example(["'1+1'", "a\n", "x", "b" * 30])
@example(["a", "", "c"])
def test_a_pattern_reported_once_per_value_confirms_the_same_hits(texts: list[str]) -> None:
    once = RegexSet(_REPEATING, once=range(len(_REPEATING)))
    assert once.scan(texts) == RegexSet(_REPEATING).scan(texts)


def test_a_pattern_reported_once_per_value_is_reported_once_per_value() -> None:
    once = RegexSet(_REPEATING, once=range(len(_REPEATING)))
    texts = ["'1+1' 2 3 4 5 6 7 8 9 ...........", "no", "a  \na\n", "dddd"]
    assert once.scan(texts) == RegexSet(_REPEATING).scan(texts)
    reports: list[int] = []
    assert once._db is not None
    handler = lambda i, _s, _e, _f, _c: reports.append(i)  # noqa: E731
    once._db.scan(SEPARATOR.join(texts).encode(), match_event_handler=handler, scratch=once._scratch())
    assert reports.count(0) == 1  # in the first value only
    assert reports.count(1) == 1  # in the third value only
    assert reports.count(2) == 4  # c\z|d+ is left as it is: nothing may follow \z in Hyperscan
