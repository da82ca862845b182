"""JSON pointers: escaping round-trips (Hypothesis) and look-ups."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apiward.spec import _pointer


@given(st.lists(st.text(max_size=8), max_size=6))
def test_join_then_split_round_trips(tokens: list[str]) -> None:
    assert _pointer.split(_pointer.join("", *tokens)) == tokens


def test_escaping_and_lookup() -> None:
    doc = {"paths": {"/users/{id}": {"get": {"parameters": [{"name": "a~b"}]}}}}
    pointer = _pointer.join("", "paths", "/users/{id}", "get", "parameters", 0)
    assert pointer == "/paths/~1users~1{id}/get/parameters/0"
    assert _pointer.lookup(doc, pointer) == {"name": "a~b"}
    assert _pointer.lookup(doc, "") is doc
    assert _pointer.escape("~1/") == "~01~1"
    assert _pointer.from_fragment("/components/schemas/Pet%20Type") == "/components/schemas/Pet Type"
    for missing in ("/nope", "/paths/~1users~1{id}/get/parameters/1", "/paths/~1users~1{id}/get/parameters/x"):
        with pytest.raises(KeyError):
            _pointer.lookup(doc, missing)
    with pytest.raises(ValueError, match="must start with '/'"):
        _pointer.split("paths")
