"""The multi-pattern scan attributes every hit in the joined buffer to the value it fell in."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from apiward.detect._regex import SEPARATOR, RegexSet

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
