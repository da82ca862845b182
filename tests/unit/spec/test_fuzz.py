"""Property: whatever is wrong with a description, loading raises ``SpecError`` — never another exception."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apiward.core import SpecError
from apiward.spec import load, load_document

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs"
BASES = [
    json.loads((FIXTURES / "petstore-2.0.json").read_text()),
    json.loads((FIXTURES / "petstore-expanded-3.0.json").read_text()),
    json.loads((FIXTURES / "uspto-3.0.json").read_text()),
    yaml.safe_load((FIXTURES / "petstore-3.1.yaml").read_text()),
]

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.sampled_from(["#/x", "/a", "query", "$ref"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_places(value, (*path, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_places(value, (*path, i)))
    return out


PLACES = [_places(base) for base in BASES]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_descriptions_load_or_raise_spec_error(data: st.DataObject) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(BASES) - 1))
    doc = copy.deepcopy(BASES[index])
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        where = data.draw(st.sampled_from(PLACES[index]))
        if not where:
            continue
        parent = doc
        try:
            for key in where[:-1]:
                parent = parent[key]
            action = data.draw(st.sampled_from(["replace", "delete", "ref"]))
            if action == "delete" and isinstance(parent, dict):
                parent.pop(where[-1], None)
            elif action == "ref":
                parent[where[-1]] = {"$ref": data.draw(st.sampled_from(["#/definitions/Pet", "#/nope", "#", "x.yaml"]))}
            else:
                parent[where[-1]] = data.draw(_JSON)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this place
    message = "loaded"
    try:
        load_document(doc, source=str(FIXTURES / "mutated.json"), strict=data.draw(st.booleans()))
    except SpecError as exc:
        message = str(exc)
    assert message
    assert "\n" not in message


@settings(max_examples=150, deadline=None)
@given(
    content=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200),
        st.text(alphabet="{}[]:,-'\"&*!|> \n\tab10", max_size=120).map(lambda t: "openapi: 3.0.0\n" + t),
    )
)
def test_arbitrary_bytes_load_or_raise_spec_error(content: bytes | str, tmp_path_factory: Any) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "spec.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    message = "loaded"
    try:
        load(path)
    except SpecError as exc:
        message = str(exc)
    assert message
    assert "\n" not in message
