"""The shipped benign corpus is what scripts/make_benign_corpus.py generates (deterministic), in the eval format."""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import json
from pathlib import Path
from types import ModuleType

from apiward.detect._eval import parse_corpus

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpora" / "benign-api.jsonl.gz"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_benign_corpus", ROOT / "scripts" / "make_benign_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_corpus_matches_the_generator() -> None:
    script = _script()
    gen = script.Gen(script.SEED)
    expected = [json.dumps(script.make_row(gen, i), ensure_ascii=False, sort_keys=True) for i in range(200)]
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        committed = [line.rstrip("\n") for line in itertools.islice(fh, 200)]
    assert committed == expected


def test_corpus_size_and_format() -> None:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        samples = list(parse_corpus(fh, source=str(CORPUS)))
    assert len(samples) >= 20_000
    assert {s.label for s in samples} == {"benign"}
    assert len({s.category for s in samples}) >= 8
    texts = " ".join(s.request.body.decode("utf-8", "replace") for s in samples[:3000])
    for needle in ("O'Brien", "select the best option", "```", "| Name |", "@example", "https://"):
        assert needle in texts, needle
