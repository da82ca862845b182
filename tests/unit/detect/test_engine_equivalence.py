"""The fast paths change how much work an inspection does, never its result: the engine with them
(``Engine()``) and without them (``Engine(_fast=False)``: every location built up front, values decoded one by
one) return the same inspection, match for match and in the same order."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apiward.core import HttpRequest
from apiward.detect import Engine, Inspection, Limits, load_rules
from apiward.detect._eval import parse_corpus
from apiward.detect._extract import extract

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TIGHT = Limits(max_values=9, max_value_length=24, max_decoded_length=60, max_depth=3, max_body_bytes=900)
PAIRS = [
    (Engine(paranoia=p, limits=limits), Engine(paranoia=p, limits=limits, _fast=False))
    for p, limits in ((1, None), (4, None), (4, TIGHT))
]
CORPUS = Path(__file__).parents[3] / "corpora" / "benign-api.jsonl.gz"

PIECES = st.sampled_from(
    [
        "' or 1=1--",
        "1 union select 1,2",
        "select * from users",
        "<script>alert(1)</script>",
        "%27",
        "%2527",
        "&#x3c;",
        "\\x3c",
        "${IFS}",
        "/*!50000union*/",
        "../../etc/passwd",
        "\t",
        "  ",
        "é",
        "東京",
        "＜",
        "a=b",
        "O'Brien",
        "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        ";cat /etc/passwd",
        "{{7*7}}",
        "drop table x",
        "\ud800",
        "\x01",
        "\n\x01\n",
        "~/",
        "42",
        "thanks",
    ]
)
TEXT = st.one_of(st.lists(PIECES, max_size=5).map("".join), st.text(max_size=30))
KEY = st.one_of(st.sampled_from(["id", "a/b", "x~y", "", "note", "PHPSESSID"]), TEXT)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEY, inner, max_size=5),
    max_leaves=40,
)


def _key(result: Inspection) -> tuple[object, ...]:
    return (result.matches, sorted(result.scores.items()), result.limits_hit)


def _same(request: HttpRequest) -> None:
    for fast, full in PAIRS:
        assert _key(fast.inspect(request)) == _key(full.inspect(request))


def _encoded(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@SETTINGS
@given(doc=JSONISH, query=st.lists(st.tuples(KEY, TEXT), max_size=4), header=TEXT, raw=st.booleans())
def test_fast_and_full_paths_agree_on_json_requests(
    doc: object, query: list[tuple[str, str]], header: str, raw: bool
) -> None:
    body = json.dumps(doc, ensure_ascii=raw).encode("utf-8", "surrogatepass")
    encoded = "&".join(f"{_encoded(k)}={_encoded(v) if raw else v}" for k, v in query)
    headers = (("Content-Type", "application/json"), ("User-Agent", header), ("Cookie", f"sid={header}"))
    _same(HttpRequest(method="POST", path="/api/x", query=encoded, headers=headers, body=body))


@SETTINGS
@given(body=st.binary(max_size=600), ctype=st.sampled_from(["", "application/json", "text/plain", "text/xml"]))
def test_fast_and_full_paths_agree_on_arbitrary_bodies(body: bytes, ctype: str) -> None:
    headers = (("Content-Type", ctype),) if ctype else ()
    _same(HttpRequest(method="POST", path="/x", headers=headers, body=body))


@SETTINGS
@given(doc=JSONISH, limits=st.sampled_from([Limits(), TIGHT, Limits(max_values=1), Limits(max_depth=0)]))
def test_locations_on_demand_are_the_locations_built_up_front(doc: object, limits: Limits) -> None:
    body = json.dumps(doc).encode("utf-8", "surrogatepass")
    request = HttpRequest(
        method="POST", path="/x", query="a=1", headers=(("Content-Type", "application/json"),), body=body
    )
    lazy, eager = extract(request, limits), extract(request, limits, lazy=False)
    assert lazy.values == eager.values
    assert [lazy.value(i) for i in reversed(range(len(lazy.texts)))] == eager.values[::-1]
    assert (lazy.anomalies, lazy.limits_hit) == (eager.anomalies, eager.limits_hit)
    kinds = [lazy.json_kind(i) for i in range(len(lazy.texts))]
    assert all(kind in (None, value.kind) for kind, value in zip(kinds, eager.values, strict=True))


def test_fast_and_full_paths_agree_on_rule_examples_in_json_bodies() -> None:
    examples = [text for rule in load_rules() for text in (*rule.fire, *rule.ok)]
    for start in range(0, len(examples), 40):
        chunk = examples[start : start + 40]
        doc = {"items": [{"note": text, text[:20]: [text, 1]} for text in chunk], "again": chunk}
        body = json.dumps(doc).encode("utf-8", "surrogatepass")
        query = "&".join(f"q={_encoded(text)}" for text in chunk[:5])
        _same(
            HttpRequest(
                method="POST", path="/x", query=query, headers=(("Content-Type", "application/json"),), body=body
            )
        )


@pytest.mark.skipif(not CORPUS.exists(), reason="shipped benign corpus not present")
def test_fast_and_full_paths_agree_on_the_benign_corpus() -> None:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        samples = list(parse_corpus(lines.read().splitlines(), source=str(CORPUS)))
    for sample in samples[::40]:
        _same(sample.request)


def test_a_large_body_over_the_value_limit_agrees() -> None:
    items = [{"sku": f"SKU-{i}", "note": f"note {i} union select {i} from t", "id": f"{i:016x}"} for i in range(900)]
    body = json.dumps({"items": items}).encode()
    _same(HttpRequest(method="POST", path="/x", headers=(("Content-Type", "application/json"),), body=body))


def test_many_firing_values_among_repeated_ones_agree() -> None:
    # More texts fire than are looked up by scanning the value list, and most of them stand in several places.
    probes = ["1' or '1'='1", "<script>alert(1)</script>", "../../etc/passwd", "; cat /etc/passwd", "1 union select 1"]
    items = [{"q": f"{probes[i % 5]} {i % 12}", "note": probes[i % 5], "tag": "plain"} for i in range(40)]
    body = json.dumps({"items": items, "again": probes}).encode()
    _same(HttpRequest(method="POST", path="/x", headers=(("Content-Type", "application/json"),), body=body))


@pytest.mark.parametrize("query", ["1=1", "x=&ltscript&gt", "a=b&c=PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg"])
def test_a_plain_query_string_also_held_by_another_value_agrees(query: str) -> None:
    body = json.dumps({"q": query, "r": [query, "' or 1=1--"]}).encode()
    headers = (("Content-Type", "application/json"), ("Referer", query))
    _same(HttpRequest(method="POST", path="/x", query=query, headers=headers, body=body))
    _same(HttpRequest(method="POST", path="/x", query=query, headers=headers[:1], body=b'{"q": "other"}'))
