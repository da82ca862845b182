"""Property tests: the engine never raises, and its work is bounded by construction (caps on values, decoded
length, variants and depth; linear-time matching in Hyperscan/RE2 and a token cap in the SQL tokenizer)."""

from __future__ import annotations

import base64
import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apiward.core import HttpRequest
from apiward.detect import Engine, Inspection, Limits, decode_steps, fingerprints
from apiward.detect._decode import _MAX_VARIANTS, fold
from apiward.detect._extract import extract

LIMITS = Limits(max_values=64, max_value_length=2048, max_decoded_length=4096, max_depth=16)
ENGINE = Engine(paranoia=4, limits=LIMITS)
# Gzipped English prose: its base64 holds '+ADG…', which once read as UTF-7 and decoded to NULs.
GZIP_OF_PROSE = (
    "H4sIAAAAAAACAx2NsQ7CMAwFf+VtWapKMLKwsFQIMfQL3CQUq8RGtiN+n8J4N9xdKhlmNqjhRoXagAnU8DEOlhWhyNreL2IBLdoD8awQZa94mLY/"
    "ZhUP6zlYBc5RR8y7Jt9qOSFNjsOvf4T3lcxxv54TSMq+cuKCJCp12FMkm6fxC+ADGymUAAAA"
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/json",
        "application/xml",
        "text/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=B",
        "multipart/form-data",
        "text/plain",
        "application/octet-stream",
    ]
)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5),
    max_leaves=40,
)


def _check(result: Inspection) -> None:
    assert isinstance(result, Inspection)
    # PROTO-900 is the engine's own failure reported as a match (fail closed): no input may cause it.
    assert [m.fragment for m in result.matches if m.rule_id == "PROTO-900"] == []
    for match in result.matches:
        assert len(match.fragment) <= 120


@SETTINGS
@given(body=st.binary(max_size=2000), ctype=CONTENT_TYPES, path=TEXT, query=TEXT, header=TEXT)
def test_never_raises_on_arbitrary_bytes(body: bytes, ctype: str | None, path: str, query: str, header: str) -> None:
    headers = [("X-Any", header), ("Cookie", header)]
    if ctype:
        headers.append(("Content-Type", ctype))
    request = HttpRequest(method="POST", path="/" + path, query=query, headers=tuple(headers), body=body)
    _check(ENGINE.inspect(request))
    assert ENGINE.inspect(request) == ENGINE.inspect(request)  # pure: same input, same answer


@SETTINGS
@given(doc=JSONISH)
def test_never_raises_on_arbitrary_json_and_bounds_values(doc: object) -> None:
    body = json.dumps(doc).encode()
    request = HttpRequest(method="POST", path="/x", headers=(("Content-Type", "application/json"),), body=body)
    _check(ENGINE.inspect(request))
    extracted = extract(request, LIMITS)
    assert len(extracted.values) <= LIMITS.max_values
    assert all(len(v.text) <= LIMITS.max_value_length for v in extracted.values)


@SETTINGS
@given(value=st.text(max_size=300), base64ish=st.binary(max_size=200))
@example(value="\ud800' union select password from users--", base64ish=b"")
@example(value="", base64ish=base64.b64decode(GZIP_OF_PROSE))
def test_lone_surrogates_and_binary_look_alikes_do_not_fail_the_inspection(value: str, base64ish: bytes) -> None:
    # st.text() includes lone surrogates; JSON carries them as \udxxx escapes; base64 of random bytes holds
    # '+AD…' runs that read like UTF-7.
    _check(ENGINE.inspect_value(value))
    blob = base64.b64encode(base64ish).decode()
    body = json.dumps({"v": value, "blob": blob}).encode()
    request = HttpRequest(method="POST", path="/x", headers=(("Content-Type", "application/json"),), body=body)
    _check(ENGINE.inspect(request))


@SETTINGS
@given(depth=st.integers(min_value=1, max_value=5000), opener=st.sampled_from(["[", '{"a":']))
def test_hostile_nesting_is_bounded(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    body = (opener * depth + "1" + closer * depth).encode()
    request = HttpRequest(method="POST", path="/x", headers=(("Content-Type", "application/json"),), body=body)
    result = ENGINE.inspect(request)
    _check(result)
    if depth > LIMITS.max_depth + 1:
        assert "max_depth" in result.limits_hit


@SETTINGS
@given(value=st.text(max_size=5000))
def test_decoding_is_bounded(value: str) -> None:
    steps = decode_steps(value, rounds=3, max_len=4096)
    assert len(steps) <= _MAX_VARIANTS
    assert all(len(s.text) <= 4096 for s in steps)
    assert len(fingerprints(value)) <= 3
    assert all(len(f.shape) <= 12 for f in fingerprints(value))


@SETTINGS
@given(
    unit=st.sampled_from(["%25", "&amp;", "\\u0025", "'", "/*", "<", "a" * 7, "../", "${", "(", "\\x41", "+AD"]),
    count=st.integers(min_value=1, max_value=3000),
)
def test_adversarial_repetition_stays_within_caps(unit: str, count: int) -> None:
    value = unit * count
    result = ENGINE.inspect_value(value)
    _check(result)
    if len(value) > LIMITS.max_value_length:
        assert "max_value_length" in result.limits_hit


@SETTINGS
@given(
    quote=st.sampled_from(["'", '"']),
    filler=st.sampled_from([" ", "a", "a ", "''", '""', "\\x", "é"]),
    count=st.integers(min_value=1, max_value=2000),
    lead=st.sampled_from(["", "1 union select ", "x' or "]),
)
@example(quote='"', filler=" ", count=2000, lead="1 union select ")
@example(quote="'", filler="a", count=2000, lead="")
def test_an_unclosed_string_ending_in_a_backslash_is_tokenized_in_linear_time(
    quote: str, filler: str, count: int, lead: str
) -> None:
    # Once exponential in the SQL tokenizer: each run inside a string could be split in 2^n ways before failing.
    value = lead + quote + filler * count + "\\"
    assert fingerprints(value)
    _check(ENGINE.inspect_value(value[: LIMITS.max_value_length]))


@SETTINGS
@given(
    unit=st.sampled_from(["#", "--", "# x", "-- -", "#\n", "a#", '1"-', '1"-1"', ":'-1'", "t^", "${a}", "/%c0%ae"]),
    count=st.integers(min_value=1, max_value=20_000),
    lead=st.sampled_from(["", "\n", "x\n", "1'"]),
)
@example(unit="#", count=20_000, lead="\n")
@example(unit="--", count=20_000, lead="x\n")
def test_comment_folding_and_quote_terms_stay_linear(unit: str, count: int, lead: str) -> None:
    # '(?:#|--)[^\n]*\n' once rescanned a line from every '#': quadratic on a line of them after a line break.
    value = lead + unit * count
    assert len(fold(value)) <= len(value)
    assert len(fingerprints(value[:4096])) <= 3
    _check(ENGINE.inspect_value(value[: LIMITS.max_value_length]))


def test_base64_of_binary_is_not_read_as_utf7() -> None:
    assert not Engine(paranoia=1).inspect_value(GZIP_OF_PROSE).is_attack
    assert Engine(paranoia=1).inspect_value("+ADw-script+AD4-alert(1)+ADw-/script+AD4-").is_attack
