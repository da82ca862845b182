"""The engine: extract → decode → detect → score. Pure, synchronous, thread-safe, and it never raises."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from types import MappingProxyType

from apiward.core import Confidence, ConfigError, HttpRequest
from apiward.detect._decode import busy_indexes, variants
from apiward.detect._detectors import (
    DETECTORS,
    QUOTE_PATTERN,
    SHAPE_DETECTORS,
    SQL_GATE_PATTERNS,
    Detector,
    TextView,
    base64_regex,
    shape_screen,
)
from apiward.detect._extract import Extracted, Value, extract, is_plain_query
from apiward.detect._regex import RegexSet
from apiward.detect._rules import Rule, load_rules
from apiward.detect._types import Exclusion, Inspection, Limits, Match

__all__ = ["Engine"]

_FRAGMENT = 120
# The most texts whose values are found by scanning the value list rather than by indexing it (most requests ask
# about one to a few texts).
_SCANS = 8
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
# Every kind of value extraction produces; a rule reading all of them reads every value (no need to look).
_KINDS = frozenset({"value", "key", "header", "path", "uri", "body", "file", "filename", "xmlraw"})
# Rules whose pattern matches at nearly every character of some ordinary texts (SQLI-033: a quote, a number and an
# operator with anything between them, or a run of four or more punctuation characters, in prose): scanned for once
# per value (see ``RegexSet``), not once per match.
_ONCE_PER_VALUE = frozenset({"SQLI-033"})


def _kind_of(location: str) -> str:
    if location == "path":
        return "path"
    if location == "query":
        return "uri"
    if location.startswith("header:"):
        return "header"
    for suffix in ("key", "filename", "name"):
        if location.endswith(f"#{suffix}"):
            return "key" if suffix == "name" else suffix
    return "value"


class _Texts:
    """The distinct decoded texts of a request (what the pattern engine scans) and, on demand, the indexes of the
    values each one came from. A value that needs no decoding is its own only text, so for most values the
    mapping follows from the raw texts alone and is only worked out for the texts a rule fired on."""

    __slots__ = ("_forms_of", "_owners", "_positions", "_raw", "_sources", "_uniq", "scans", "texts")

    def __init__(
        self,
        raw: list[str],
        uniq: dict[str, None],
        texts: list[str],
        forms_of: dict[str, list[str]],
        owners: dict[int, list[int]] | None = None,
    ) -> None:
        self.texts = texts
        self._raw = raw
        self._uniq = uniq
        self._forms_of = forms_of  # the decoded forms of each value that needed decoding
        self._sources: dict[str, list[str]] | None = None
        self._positions: dict[str, list[int]] | None = None
        self._owners = owners if owners is not None else {}
        # Lookups still answered by scanning the value list; the next one indexes it (see :meth:`plan`).
        self.scans = 1

    def plan(self, lookups: int) -> None:
        """About ``lookups`` texts will be looked up: when they are few, scan the value list for each (a scan costs
        about a tenth of indexing the list) up to :data:`_SCANS` lookups, else index it at the first lookup."""
        self.scans = _SCANS if lookups <= _SCANS else 0

    def owners(self, index: int) -> list[int]:
        """Indexes (ascending) of the values that decode to ``texts[index]``."""
        known = self._owners.get(index)
        if known is not None:
            return known
        form = self.texts[index]
        if self._sources is None:
            self._sources = {}
            for text, forms in self._forms_of.items():
                for decoded in forms:
                    self._sources.setdefault(decoded, []).append(text)
        sources = list(self._sources.get(form, ()))
        if form in self._uniq and form not in self._forms_of:
            sources.append(form)
        raw = self._raw
        found: list[int] = []
        if self.scans <= 0 or self._positions is not None:  # many texts fired: index every value once
            if self._positions is None:
                self._positions = {}
                for position, text in enumerate(raw):
                    self._positions.setdefault(text, []).append(position)
            for text in sources:
                found += self._positions.get(text, ())
        else:
            self.scans -= 1
            for text in sources:
                position = -1
                while True:
                    try:
                        position = raw.index(text, position + 1)
                    except ValueError:
                        break
                    found.append(position)
        found.sort()
        self._owners[index] = found
        return found


class Engine:
    """A compiled rule set at one paranoia level; build once, call :meth:`inspect` from any thread."""

    def __init__(
        self,
        paranoia: int = 1,
        exclusions: Iterable[Exclusion] = (),
        *,
        threshold: int = 5,
        limits: Limits | None = None,
        rules: Sequence[Rule] | None = None,
        _fast: bool = True,
    ) -> None:
        if not isinstance(paranoia, int) or not 1 <= paranoia <= 4:
            raise ConfigError(f"paranoia must be 1, 2, 3 or 4, not {paranoia!r}", pointer="paranoia")
        if threshold < 1:
            raise ConfigError("threshold must be at least 1", pointer="threshold")
        self.paranoia = paranoia
        self.threshold = threshold
        self.limits = limits or Limits()
        self.exclusions = tuple(exclusions)
        # ``_fast=False``: every location built up front and values decoded one by one (the reference the fast
        # paths are tested against; same results, slower).
        self._fast = _fast
        self.rules = tuple(r for r in (load_rules() if rules is None else rules) if r.paranoia <= paranoia)
        self._pattern_rules: list[Rule] = []
        patterns: list[str] = []
        # (rule, pattern, detector, whether the rule reads every kind of value, whether it reads fingerprint shapes)
        self._code_rules: list[tuple[Rule, re.Pattern[str], Detector, bool, bool]] = []
        self._anomaly_rules: dict[str, Rule] = {}
        for rule in self.rules:
            if rule.detector is None and rule.pattern is not None:
                self._pattern_rules.append(rule)
                patterns.append(rule.pattern)
            elif rule.detector == "base64-of" and rule.pattern is not None:
                self._pattern_rules.append(rule)
                patterns.append(base64_regex(rule.pattern))
            elif rule.detector == "anomaly" and rule.pattern is not None:
                self._anomaly_rules[rule.pattern] = rule
            elif rule.detector in DETECTORS and rule.pattern is not None:
                detector = DETECTORS[rule.detector]
                shapes = rule.detector in SHAPE_DETECTORS
                self._code_rules.append((rule, re.compile(rule.pattern), detector, _KINDS <= rule.targets, shapes))
            else:
                raise ConfigError(f"rule {rule.id}: unknown detector {rule.detector!r}")
        self._gate_id = len(patterns)  # the first of the SQL gate's patterns, which come last
        self._shape_screen = shape_screen(r.pattern for r, _, _, _, shapes in self._code_rules if shapes and r.pattern)
        # Rules that name JSON-body locations among their targets (others read a JSON value by its kind alone).
        self._pointer_targets = {r.id for r in self.rules if any(t.startswith("body:") for t in r.targets)}
        once = [index for index, rule in enumerate(self._pattern_rules) if rule.id in _ONCE_PER_VALUE]
        self._clean = Inspection(scores=MappingProxyType({}), threshold=threshold)
        self._regex = RegexSet([*patterns, *SQL_GATE_PATTERNS], once=once)

    # -- public API ---------------------------------------------------------------------------------------------

    def inspect(self, request: HttpRequest, route: str | None = None) -> Inspection:
        """Inspect a request. Never raises: an internal failure is reported as a protocol match (fail closed)."""
        try:
            return self._finish(self._run(extract(request, self.limits, lazy=self._fast)), route)
        except Exception as exc:
            return self._failure(exc)

    def inspect_value(self, value: str, location: str = "value", kind: str | None = None) -> Inspection:
        """Inspect one value as if it arrived at ``location`` (for ``detect explain`` and offline analytics).

        ``kind`` (``value``, ``key``, ``header``, ``path``, ``filename``…) is inferred from ``location`` when not
        given: ``path``, ``header:*``, ``query`` (the raw query string), ``…#key``, ``…#filename``.
        """
        try:
            ext = Extracted()
            text = value[: self.limits.max_value_length]
            if len(value) > self.limits.max_value_length:
                ext.limits_hit.add("max_value_length")
            ext.add(Value(location, text, kind or _kind_of(location)))
            if location == "query":
                ext.containers.append(0)
                if is_plain_query(text):
                    ext.plain_query = 0
            return self._finish(self._run(ext), None)
        except Exception as exc:
            return self._failure(exc)

    # -- internals ----------------------------------------------------------------------------------------------

    def _failure(self, exc: Exception) -> Inspection:
        match = Match("PROTO-900", "protocol", "request", f"inspection failed: {type(exc).__name__}", 5, Confidence.LOW)
        return Inspection(matches=(match,), scores={"protocol": 5}, threshold=self.threshold)

    def _plain_query(self, ext: Extracted) -> int | None:
        """The index of the raw query string when it is plain (only unreserved characters, '=' and '&'), which is
        scanned as it is: not decoded, and not read by the SQL code rules.

        Such a query carries nothing its parameters do not. Each name and value in it is inspected on its own as the
        backend receives it (there is nothing to percent- or form-decode), and with no space, quote, parenthesis,
        slash or '+' it cannot spell SQL across parameters: the shapes the tokenizer finds in it (``1=1``,
        ``select=from``, ``x=1&&1=1``) are names and values, not a query. Its decoded forms would be artefacts of the
        separators: '&lt=' or '&para=' read as HTML references, the text after the first '=' read as a form body (the
        parameters again), base64 runs that each lie within one parameter and are decoded there. The pattern rules
        still read it whole (split payloads, the rules that target the query string).
        """
        index = ext.plain_query
        if index is None or len(ext.texts[index]) > self.limits.max_decoded_length:
            return None
        return index

    def _texts(self, ext: Extracted) -> _Texts:
        """Decoded forms of every value, each distinct text once (JSON arrays repeat keys and values).

        Most API values (ids, numbers, words, plain prose) decode to themselves: one search over the distinct values
        (:func:`busy_indexes`) finds the few that do not, so only those pay for the decoders.
        """
        if not self._fast:
            return self._texts_within_budget(ext)
        limits = self.limits
        raw = ext.texts
        uniq = dict.fromkeys(raw)
        distinct = list(uniq)
        busy = busy_indexes(distinct, limits.max_decoded_length)
        plain = self._plain_query(ext)
        if plain is not None and busy:
            query = raw[plain]
            if raw.count(query) > 1:
                return self._texts_within_budget(ext)  # another value holds it too, and is decoded
            busy.discard(distinct.index(query))
        budget = limits.max_decoded_length * 4
        if not busy:
            if sum(map(len, distinct)) <= budget:
                return _Texts(raw, uniq, distinct, {})
            return self._texts_within_budget(ext)
        forms_of: dict[str, list[str]] = {}
        runs: list[Iterable[str]] = []  # the distinct texts with each busy one replaced by its forms
        previous = 0
        for index in sorted(busy):
            text = distinct[index]
            forms = variants(text, rounds=limits.max_decode_rounds, max_len=limits.max_decoded_length)
            forms_of[text] = forms
            runs += (distinct[previous:index], forms)
            previous = index + 1
        runs.append(distinct[previous:])
        texts = list(dict.fromkeys(itertools.chain.from_iterable(runs)))
        if sum(map(len, texts)) > budget:
            return self._texts_within_budget(ext)
        return _Texts(raw, uniq, texts, forms_of)

    def _texts_within_budget(self, ext: Extracted) -> _Texts:
        """:meth:`_texts` value by value until the budget runs out (when the decoded forms exceed it)."""
        limits = self.limits
        raw = ext.texts
        busy = busy_indexes(raw, limits.max_decoded_length)
        plain = self._plain_query(ext)
        if plain is not None:
            busy.discard(plain)
        by_text: dict[str, list[int]] = {}
        decoded: dict[str, list[str]] = {}
        budget = limits.max_decoded_length * 4

        def done() -> _Texts:
            return _Texts(raw, {}, list(by_text), {}, dict(enumerate(by_text.values())))

        for index, text in enumerate(raw):
            forms: Sequence[str]
            if index in busy:
                cached = decoded.get(text)
                if cached is None:
                    cached = decoded[text] = variants(
                        text, rounds=limits.max_decode_rounds, max_len=limits.max_decoded_length
                    )
                forms = cached
            else:
                forms = (text,)  # a value no decoder can change is its only form
            for form in forms:
                known = by_text.get(form)
                if known is not None:
                    known.append(index)
                    continue
                budget -= len(form)
                if budget < 0:
                    ext.limits_hit.add("max_decoded_length")
                    return done()
                by_text[form] = [index]
        return done()

    def _run(self, ext: Extracted) -> tuple[list[Match], Extracted]:
        found: dict[tuple[str, str], Match] = {}
        containers = frozenset(ext.containers)
        plain = self._plain_query(ext)  # not decoded: only its parameters are read as SQL (see _plain_query)
        has_escapes: dict[int, bool] = {}  # by text index, for the containers' forms (worked out once)

        def add(rule: Rule, location: str, fragment: str) -> None:
            key = (rule.id, location)
            if key not in found:
                found[key] = Match(rule.id, rule.family, location, fragment[:_FRAGMENT], rule.score, rule.confidence)

        def raw_container(i: int, index: int) -> bool:
            """Whether value ``i`` is the raw query string or form body and text ``index`` a form of it that the code
            rules do not read: the plain query string as it is, or any form still holding percent escapes (the raw
            string, its part after a first '='). Escapes are not SQL: read as operators and numbers (``%40`` →
            ``% 40``) they make shapes no backend receives. The decoded forms are read."""
            if i not in containers:
                return False
            if i == plain:
                return True
            escaped = has_escapes.get(index)
            if escaped is None:
                escaped = has_escapes[index] = _PERCENT_ESCAPE.search(texts.texts[index]) is not None
            return escaped

        def readers(rule: Rule, index: int, code: bool = False) -> list[Value]:
            out = []
            for i in texts.owners(index):
                if code and raw_container(i, index):
                    continue
                kind = ext.json_kind(i)
                if kind is not None and kind not in rule.targets and rule.id not in self._pointer_targets:
                    continue  # a JSON value the rule does not read, told without building its location
                value = ext.value(i)
                if (rule.id, value.location) not in found and rule.reads(value.kind, value.location):
                    out.append(value)
            return out

        def read_by_any(rule: Rule, index: int) -> bool:
            """Whether a value holding text ``index`` is read by code rule ``rule``: :func:`readers` without building
            the location of a JSON value whose kind the rule reads (most of them), which only a match needs."""
            for i in texts.owners(index):
                if raw_container(i, index):
                    continue
                kind = ext.json_kind(i)
                if kind is not None and kind in rule.targets:
                    return True
                if kind is not None and rule.id not in self._pointer_targets:
                    continue
                value = ext.value(i)
                if rule.reads(value.kind, value.location):
                    return True
            return False

        texts = self._texts(ext)
        candidates = self._regex.candidates(texts.texts) if texts.texts else set()
        if not candidates and not ext.anomalies and not ext.limits_hit:
            return [], ext  # the common case: no rule can fire
        gate_id = self._gate_id
        # Texts with pattern hits are looked up when a hit is confirmed, SQL gate hits only when a code rule fires.
        texts.plan(len({text_index for text_index, pattern_id in candidates if pattern_id < gate_id}))
        # The texts the SQL gate's patterns hit, in order, each with whether the quote pattern alone hit it.
        gated: dict[int, bool] = {}
        quote_id = gate_id + QUOTE_PATTERN
        # A rule's match is confirmed before its readers are worked out (most candidates are not confirmed).
        for text_index, pattern_id in sorted(candidates):
            if pattern_id >= gate_id:
                gated[text_index] = gated.get(text_index, True) and pattern_id == quote_id
                continue
            pattern_rule = self._pattern_rules[pattern_id]
            hit = self._regex.confirm(pattern_id, texts.texts[text_index])
            if hit is not None:
                for value in readers(pattern_rule, text_index):
                    add(pattern_rule, value.location, hit)
        for text_index, quoted in gated.items() if self._code_rules else ():
            if containers and all(raw_container(i, text_index) for i in texts.owners(text_index)):
                continue  # a raw query string or form body as it is: the code rules read its parameters
            view = TextView(texts.texts[text_index], gate=True, quoted=quoted)
            if not view.sql_possible():
                continue  # every code detector today reads SQL fingerprints
            screened: bool | None = None  # whether no fingerprint takes any shape rule's shape (worked out once)
            for code_rule, shape, detect, reads_all, reads_shapes in self._code_rules:
                if not reads_all and not read_by_any(code_rule, text_index):
                    continue  # (a value the rule has fired on already is detected again, and its match kept)
                try:
                    if reads_shapes and screened is None:
                        screen = self._shape_screen
                        screened = screen is not None and not any(
                            screen.search(fp.shape) for fp in view.sql_fingerprints()
                        )
                    fragment = None if reads_shapes and screened else detect(shape, view)
                except Exception:
                    if readers(code_rule, text_index, code=True):
                        raise
                    continue
                if fragment is not None:
                    for value in readers(code_rule, text_index, code=True):
                        add(code_rule, value.location, fragment)
        for anomaly_id, location, detail in ext.anomalies:
            anomaly_rule = self._anomaly_rules.get(anomaly_id)
            if anomaly_rule is not None:
                add(anomaly_rule, location, detail)
        for limit in sorted(ext.limits_hit):
            limit_rule = self._anomaly_rules.get(f"limit:{limit}")
            if limit_rule is not None:
                add(limit_rule, "request", f"limit {limit} reached")
        return list(found.values()), ext

    def _finish(self, result: tuple[list[Match], Extracted], route: str | None) -> Inspection:
        matches, ext = result
        if not matches and not ext.limits_hit:
            return self._clean  # most requests: immutable, so one instance serves them all
        if self.exclusions:
            kept = [m for m in matches if not any(e.applies(m, route) for e in self.exclusions)]
            # The raw query string is inspected as a whole too; a rule excluded on one of its parameters is
            # excluded on the container as well, or per-parameter exclusions would never quiet a query.
            dropped = {m.rule_id for m in matches if m.location.startswith("query:")} - {
                m.rule_id for m in kept if m.location.startswith("query:")
            }
            matches = [m for m in kept if not (m.location == "query" and m.rule_id in dropped)]
        scores: dict[str, int] = {}
        seen_rules: set[str] = set()
        for m in matches:
            if m.rule_id in seen_rules:
                continue  # a rule counts once per request, however many values it fired on
            seen_rules.add(m.rule_id)
            scores[m.family] = scores.get(m.family, 0) + m.score
        return Inspection(
            matches=tuple(matches), scores=scores, threshold=self.threshold, limits_hit=frozenset(ext.limits_hit)
        )
