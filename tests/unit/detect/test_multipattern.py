"""The multi-pattern database finds every rule wherever its value sits in the joined scan buffer.

Hyperscan has been seen to drop a match of one pattern when certain other patterns share its database (a pattern
anchored with ``(?:\\A|…)`` stopped matching the second value once an unrelated pattern was compiled beside it). The
engine confirms candidates, but cannot confirm what was never reported, so every ``fire`` example of every pattern
rule is checked as the first value, after other values, and inside a longer buffer, against the full database.
"""

from __future__ import annotations

import pytest

from apiward.detect import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(paranoia=4)


def test_every_fire_example_is_a_candidate_at_any_position(engine: Engine) -> None:
    regex = engine._regex
    missed: list[str] = []
    for pattern_id, rule in enumerate(engine._pattern_rules):
        for example in rule.fire:
            if regex.confirm(pattern_id, example) is None:
                continue  # an example the pattern only catches after decoding: the rule tests cover it
            for before in ([], ["x"], ["foo=" + example], ["/get", "q=" + example, "foo"]):
                if (len(before), pattern_id) not in regex.candidates([*before, example]):
                    missed.append(f"{rule.id} {example!r} after {len(before)} value(s)")
    assert missed == []


def test_a_value_without_the_pattern_is_no_candidate(engine: Engine) -> None:
    regex = engine._regex
    ids = {pattern_id for _, pattern_id in regex.candidates(["thanks for the quick delivery", "42"])}
    fired = [engine._pattern_rules[i].id for i in ids if i < len(engine._pattern_rules)]
    assert fired == []


def test_value_anchors_mean_a_value_in_the_joined_buffer() -> None:
    from apiward.detect._regex import RegexSet, _in_buffer

    assert _in_buffer(r"\\A") == r"\\A"  # an escaped backslash before A is no anchor
    anchored = RegexSet([r"\A\s*whoami\s*\z"])
    assert anchored.candidates(["hello", " whoami ", "x"]) == {(1, 0)}
    assert anchored.candidates(["say whoami now"]) == set()
