"""Generate a benign hold-out corpus: realistic, tricky API traffic for precision checks of ``apiward.detect``.

It complements ``corpora/benign-api.jsonl.gz`` (hand-written templates only) with REAL human-written text found
offline on the machine — package READMEs (``*.dist-info/METADATA``, ``/usr/share/doc/*/README*``), docstrings of
the Python standard library, Debian changelogs, copyright and licence texts, man pages in English and 15
translations, translated UI messages of gettext catalogs in 27 languages, CJK sample texts — cut into sentences,
paragraphs and snippets, plus templates for the values API traffic carries: everyday and casual prose, SQL-ish
business requests, 22 languages, names with apostrophes and hyphens, addresses, phone numbers, money, dates,
markdown, rich-text HTML, message templates, emails, URLs, UUIDs, JWTs, base64 blobs of real file formats, hashes,
versions, file names and local paths, measurements with quote marks, emoticons and emoji, math, CSV, XML, JSON
Patch, JSON-LD and JSON Schema documents, SSO callbacks, settings values, query strings, forms, multipart uploads,
browser and SDK headers and cookies, query languages and fenced code in developer posts.

Rows use the CRS-regression format, so ``apiward detect eval /tmp/holdout/benign.jsonl`` scores it. Categories
(``benign-…``) fall into five groups (:func:`group_of`), scored separately by ``benchmarks/detect_precision.py``:

* ``strict`` — everyday prose and data values that must not be flagged at paranoia 1;
* ``tech`` (``benign-tech-*``) — real technical writing as issue trackers, wikis and Q&A sites carry it;
* ``markup`` (``benign-richtext``, ``benign-templates``) — HTML from rich-text editors, message templates;
* ``querylang`` (``benign-querylang``) — GraphQL, OData, JQL, search syntax, JSON filters, regexes, PromQL;
* ``code`` (``benign-code-*``, ~9 % of rows) — posts carrying code or command lines.

The generator does not look at the engine's rules. Snippets from real texts that quote attack payloads (script
tags, XML entity declarations, traversal sequences and the like, see ``PAYLOAD_MARKERS``) are dropped: the
corpus is meant to be benign. Deterministic: fixed seed, sources read in sorted order; with no real text on the
machine it still runs, on templates alone.

    python scripts/make_holdout_corpus.py [--rows N] [--out DIR]      # default: 15,000 rows into /tmp/holdout
"""

from __future__ import annotations

import argparse
import ast
import base64
import csv
import gzip
import html
import io
import json
import random
import re
import struct
import sys
import sysconfig
import unicodedata
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, quote_plus, urlencode

T = TypeVar("T")
SEED = 20_261_122
ROWS = 15_000
OUT_DIR = Path("/tmp/holdout")  # noqa: S108 - a scratch corpus, rebuilt at will
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
STDLIB = Path(sysconfig.get_paths()["stdlib"])
DOC_DIR = Path("/usr/share/doc")
LICENSES_DIR = Path("/usr/share/common-licenses")
MAN_DIR = Path("/usr/share/man/man1")

# Texts that quote an attack payload are not benign traffic; they are dropped from the real-text pools.
PAYLOAD_MARKERS = re.compile(
    r"<\s*script|javascript:|vbscript:|\bon(?:error|load|click|mouseover)\s*=|<!ENTITY|<!DOCTYPE|SYSTEM\s+\"|"
    r"/etc/(?:passwd|shadow)|\.\./\.\.|\.\.\\|\b1\s*=\s*1\b|'\s*or\s*'|\bunion\s+(?:all\s+)?select\b|"
    r"\$\{jndi|<\?php|\balert\s*\(|document\.cookie|xp_cmdshell|waitfor\s+delay|<\s*iframe|<\s*svg|"
    r"base64_decode|\bcmd\.exe\b|\bexploit|\bpayload|\binjection\b|\bxss\b|billion laughs|\bxxe\b",
    re.IGNORECASE,
)
CODE_HINT = re.compile(r"^(?:\s{4,}\S|\t|>>> |\$ |# |```)|[{};]\s*$|\b(?:def|import|return|const|var|let)\b")


# --------------------------------------------------------------------------------------------------------------
# Real text, read from the machine
# --------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Texts:
    """Pools of real human-written text, by shape."""

    sentences: dict[str, list[str]] = field(default_factory=dict)  # source ("docs", "legal") -> prose sentences
    paragraphs: dict[str, list[str]] = field(default_factory=dict)  # source -> prose paragraphs (inline markdown)
    ui: dict[str, list[str]] = field(default_factory=dict)  # language -> translated UI messages (gettext catalogs)
    countries: dict[str, list[str]] = field(default_factory=dict)  # language -> country names (iso-codes)
    cjk: dict[str, list[str]] = field(default_factory=dict)  # language -> lines of CJK sample text
    readmes: list[str] = field(default_factory=list)  # whole package READMEs without quoted attack payloads
    man_i18n: dict[str, list[str]] = field(default_factory=dict)  # language -> translated man-page paragraphs
    changelog: list[str] = field(default_factory=list)  # release-note items
    techdocs: list[str] = field(default_factory=list)  # man-page paragraphs: options, commands, file names
    code: dict[str, list[str]] = field(default_factory=dict)  # language -> code snippets
    sources: Counter[str] = field(default_factory=Counter)

    def add_code(self, lang: str, snippet: str) -> None:
        snippet = snippet.strip("\n")
        if 10 <= len(snippet) <= 1500 and not PAYLOAD_MARKERS.search(snippet):
            self.code.setdefault(lang, []).append(snippet)

    def add_prose(self, paragraph: str, source: str) -> None:
        paragraph = re.sub(r"[ \t]*\n[ \t]*", " ", paragraph.strip())
        if len(paragraph) < 25 or PAYLOAD_MARKERS.search(paragraph):
            return
        self.sources[source] += 1
        pool = "legal" if source == "licence" else "docs"
        if len(paragraph) <= 900:
            self.paragraphs.setdefault(pool, []).append(paragraph)
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(])", paragraph):
            if 20 <= len(sentence) <= 300:
                self.sentences.setdefault(pool, []).append(sentence)

    @property
    def empty(self) -> bool:
        return not self.sentences and not self.changelog and not self.ui


def _guess_lang(block: str, hint: str = "") -> str:
    hint = hint.lower()
    for lang, names in (
        ("python", ("python", "py", "pycon", "python3")),
        ("js", ("js", "javascript", "ts", "typescript", "node")),
        ("sql", ("sql", "postgresql", "psql", "mysql", "sqlite")),
        ("shell", ("sh", "bash", "shell", "console", "shell-session", "zsh", "powershell")),
    ):
        if hint in names:
            return lang
    if ">>>" in block or re.search(r"^\s*(?:import|from \w+ import|def |class |@)\w*", block, re.M):
        return "python"
    if re.search(r"^\s*(?:\$ |pip |python -m|uv |git |curl |docker |make |cd |export )", block, re.M):
        return "shell"
    if re.search(r"\b(?:SELECT|INSERT INTO|CREATE TABLE)\b", block):
        return "sql"
    if re.search(r"\b(?:const|let|function|=>|console\.)\b", block):
        return "js"
    return "text"


def _markdown_parts(text: str, texts: Texts, source: str) -> None:
    """Split a README (markdown or reStructuredText) into prose paragraphs and code blocks."""
    lines = text.splitlines()
    i = 0
    para: list[str] = []

    def flush() -> None:
        if para:
            block = "\n".join(para)
            if sum(1 for line in para if CODE_HINT.search(line)) * 2 > len(para) or block.lstrip().startswith(">>>"):
                texts.add_code(_guess_lang(block), block)
            elif not block.lstrip().startswith(("|", "..", "=", "-", "*", "+", "<", "[!")):
                texts.add_prose(block, source)
            para.clear()

    while i < len(lines):
        line = lines[i]
        fence = re.match(r"^\s*(```+|~~~+)\s*([\w+-]*)", line)
        if fence:
            flush()
            hint, body = fence.group(2), []
            i += 1
            while i < len(lines) and not lines[i].lstrip().startswith(fence.group(1)):
                body.append(lines[i])
                i += 1
            block = "\n".join(body)
            texts.add_code(_guess_lang(block, hint), block)
            i += 1
            continue
        if line.rstrip().endswith("::") or line.startswith(".. code"):
            # reStructuredText literal block: the indented lines after a blank line
            if not line.startswith(".."):
                para.append(line.rstrip(":") + ":")
            flush()
            i += 1
            body = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                if lines[i].startswith(("   :", "  :")):
                    i += 1
                    continue
                body.append(lines[i])
                i += 1
            block = "\n".join(body).strip("\n")
            if block:
                import textwrap

                block = textwrap.dedent(block)
                texts.add_code(_guess_lang(block), block)
            continue
        if not line.strip():
            flush()
        elif not re.match(r"^\s*(?:#{1,6} |[=~^\-`*]{4,}\s*$)", line):
            para.append(line)
        i += 1
    flush()


def _read_doc_readmes(texts: Texts, limit: int = 200) -> None:
    """README, NEWS and FAQ files of the installed Debian packages (/usr/share/doc/*/)."""
    paths = sorted(p for p in DOC_DIR.glob("*/*") if re.match(r"(?:README|NEWS|FAQ)(?:\.md|\.txt)?(?:\.gz)?$", p.name))
    for path in paths[:limit]:
        try:
            if path.suffix == ".gz":
                with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
                    raw = handle.read(40_000)
            else:
                raw = path.read_text(encoding="utf-8", errors="replace")[:40_000]
        except (OSError, EOFError):
            continue
        _markdown_parts(raw, texts, "doc-readme")


def _read_metadata(texts: Texts) -> None:
    for path in sorted(SITE_PACKAGES.glob("*.dist-info/METADATA")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        _, _, body = raw.partition("\n\n")
        _markdown_parts(body, texts, "metadata")
        if 200 <= len(body) <= 60_000 and not PAYLOAD_MARKERS.search(body):
            texts.readmes.append(body)


def _read_docstrings(texts: Texts, limit: int = 260) -> None:
    files = sorted(p for p in STDLIB.glob("*.py") if not p.name.startswith("_"))[:limit]
    files += sorted(STDLIB.glob("email/*.py")) + sorted(STDLIB.glob("json/*.py")) + sorted(STDLIB.glob("http/*.py"))
    for path in files:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            doc = ast.get_docstring(node)
            if not doc:
                continue
            for block in re.split(r"\n\s*\n", doc):
                if ">>>" in block:
                    texts.add_code("doctest", block)
                elif re.search(r"^\s{4,}\S", block, re.M) and not re.search(r"^\S", block, re.M):
                    continue
                else:
                    texts.add_prose(block, "docstring")


def _read_changelogs(texts: Texts, per_file: int = 30) -> None:
    for path in sorted(DOC_DIR.glob("*/changelog*.gz")):
        try:
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
                raw = handle.read(40_000)
        except (OSError, EOFError):
            continue
        items: list[str] = []
        current: list[str] = []
        for line in raw.splitlines():
            item = re.match(r"^\s{2,4}[*+-] (.*)", line)
            if item:
                if current:
                    items.append(" ".join(current))
                current = [item.group(1).strip()]
            elif current and line.startswith("    ") and line.strip():
                current.append(line.strip())
            elif current:
                items.append(" ".join(current))
                current = []
        for item in items[:per_file]:
            if 15 <= len(item) <= 400 and not PAYLOAD_MARKERS.search(item):
                texts.changelog.append(item)
                texts.sources["changelog"] += 1


def _read_licences(texts: Texts) -> None:
    paths = sorted(p for p in LICENSES_DIR.glob("*") if p.is_file())
    paths += sorted(DOC_DIR.glob("*/copyright"))[:300]
    for path in paths:
        try:
            raw = path.read_text(encoding="utf-8", errors="replace")[:30_000]
        except OSError:
            continue
        for block in re.split(r"\n\s*\n", raw):
            if not re.match(r"^\s*(?:Files|Copyright|License|Format|Upstream|Source|Comment):", block):
                texts.add_prose(block, "licence")


_TROFF_ESCAPES = (
    (r"\\f[BIRP]|\\f\(..|\\,|\\/|\\&|\\:|\\%", ""),
    (r"\\-", "-"),
    (r"\\\(aq", "'"),
    (r"\\\(dq", '"'),
    (r"\\\((?:lq|rq)", '"'),
    (r"\\\(em|\\\(en", "-"),
    (r"\\e", "\\\\"),
    (r"\\ ", " "),
    (r"\\\(bu", "*"),
)


MAN_LANGUAGES = "de fr es it pt_BR pl ru uk ja ko zh_CN nl sv cs tr".split()


def _read_man_pages(texts: Texts, limit: int = 220) -> None:
    pages = [("en", p) for p in sorted(MAN_DIR.glob("*.1.gz"))[:limit]]
    for lang in MAN_LANGUAGES:
        pages += [(lang, p) for p in sorted((MAN_DIR.parent / lang / "man1").glob("*.1.gz"))[:30]]
    for lang, path in pages:
        try:
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
                raw = handle.read(60_000)
        except (OSError, EOFError):
            continue
        para: list[str] = []
        paragraphs: list[str] = []
        for line in raw.splitlines():
            if line.startswith(('.\\"', "'\\\"")):
                continue
            macro = re.match(r"^\.(\w+)\s*(.*)", line)
            if macro:
                name, rest = macro.groups()
                if name in {"PP", "P", "LP", "TP", "SH", "SS", "IP", "HP", "br", "sp", "RS", "RE"}:
                    if para:
                        paragraphs.append(" ".join(para))
                        para = []
                    continue
                if name in {"B", "I", "BR", "IR", "RB", "RI", "BI", "IB"}:
                    para.append(rest.replace('"', ""))
                continue
            para.append(line)
        if para:
            paragraphs.append(" ".join(para))
        for paragraph in paragraphs:
            for pattern, repl in _TROFF_ESCAPES:
                paragraph = re.sub(pattern, repl, paragraph)
            paragraph = re.sub(r"\s+", " ", paragraph).strip()
            if 30 <= len(paragraph) <= 600 and "\\" not in paragraph and not PAYLOAD_MARKERS.search(paragraph):
                if lang == "en":
                    texts.techdocs.append(paragraph)
                else:
                    texts.man_i18n.setdefault(lang, []).append(paragraph)
                texts.sources["man"] += 1


LOCALE_DIR = Path("/usr/share/locale")
UI_LANGUAGES = """de fr es pt_BR pt it nl sv da pl cs tr ru uk el ar he fa hi zh_CN zh_TW ja ko vi th id""".split()
UI_DOMAINS = """gtk20 glib20 PackageKit appstream software-properties xdg-user-dirs gsettings-desktop-schemas
shared-mime-info avahi gstreamer-1.0 gdk-pixbuf at-spi2-core adduser""".split()
_PRINTF = re.compile(r"%(?:\d+\$)?[-+ #0']*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t|L|I64)?[sdiuxXfgcpe]|%\([a-z_]+\)s|\{\d*\}")


def _catalog(path: Path) -> dict[str, str]:
    import gettext

    try:
        with path.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    except (OSError, UnicodeDecodeError, ValueError, KeyError):
        return {}
    return {str(k): str(v) for k, v in catalog.items() if isinstance(k, str) and k and isinstance(v, str)}


def _ui_message(text: str) -> str | None:
    text = re.sub(r"_(?=\w)", "", text.split("\x04")[-1]).strip()
    if not 6 <= len(text) <= 300 or len(_PRINTF.findall(text)) > 2 or "%" in _PRINTF.sub("", text):
        return None
    if PAYLOAD_MARKERS.search(text) or re.search(r"<[a-z/]|&[a-z]+;|\\", text):
        return None
    return text


def _read_ui_messages(texts: Texts, per_catalog: int = 400) -> None:
    for lang in UI_LANGUAGES:
        for domain in UI_DOMAINS:
            catalog = _catalog(LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.mo")
            messages = [m for m in (_ui_message(v) for v in sorted(catalog.values())) if m]
            step = max(1, len(messages) // per_catalog)
            texts.ui.setdefault(lang, []).extend(messages[::step])
            texts.sources["ui"] += len(messages[::step])
            if lang == "de":  # the English originals once
                english = [m for m in (_ui_message(k) for k in sorted(catalog)) if m]
                texts.ui.setdefault("en", []).extend(english[:: max(1, len(english) // per_catalog)])
        countries = _catalog(LOCALE_DIR / lang / "LC_MESSAGES" / "iso_3166-1.mo") or _catalog(
            LOCALE_DIR / lang / "LC_MESSAGES" / "iso_3166.mo"
        )
        if countries:
            texts.countries[lang] = sorted(set(countries.values()))
    texts.ui = {lang: messages for lang, messages in texts.ui.items() if messages}


def _read_cjk_samples(texts: Texts) -> None:
    """Chinese, Japanese and Korean sample texts shipped with the stdlib tests (test/cjkencodings/*-utf8.txt)."""
    langs = {"gb": "zh", "big5": "zh", "hz": "zh", "euc_jp": "ja", "shift": "ja", "iso2022_jp": "ja", "euc_kr": "ko"}
    for path in sorted((STDLIB / "test" / "cjkencodings").glob("*-utf8.txt")):
        lang = next((v for k, v in langs.items() if path.name.startswith(k)), None)
        if lang is None:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        for line in raw.splitlines():
            line = line.strip()
            if 8 <= len(line) <= 200 and "\ufffd" not in line and not PAYLOAD_MARKERS.search(line):
                texts.cjk.setdefault(lang, []).append(line)
                texts.sources["cjk"] += 1


def load_texts() -> Texts:
    """Every real-text pool found on this machine (some may be empty)."""
    texts = Texts()
    for reader in (
        _read_metadata,
        _read_doc_readmes,
        _read_docstrings,
        _read_changelogs,
        _read_licences,
        _read_man_pages,
        _read_ui_messages,
        _read_cjk_samples,
    ):
        reader(texts)
    return texts


# --------------------------------------------------------------------------------------------------------------
# Hand-written value pools
# --------------------------------------------------------------------------------------------------------------

FIRST_NAMES = """Aoife Bríd Caoimhe Declan Eoin Fionnuala Mary-Kate Jean-Luc Anne-Marie Jean-Baptiste Marie-Claire
Hans-Peter Karl-Heinz Ana-Lucía N'Golo Ngozi Chiamaka Oluwaseun Tunde Kwabena Thandiwe Sipho Zanele Mthunzi
Aleksandra Wojciech
Grzegorz Bartłomiej Agnieszka Jiří Šárka Kateřina Ľubomír Tõnu Jüri Gunnhildur Þórunn Sigurður Ásgeir Kåre Åsa Øystein
Pérez-Reverte Inês Conceição Gonçalo Iñaki Begoña Núria Jordi Ümit Çağla Gökhan Şebnem İlker Ζωή Δημήτρης Ελένη
Ярослав Олена Дмитрий Наталья Сергей Ахмед Юлия Nguyễn Thị Quang Huy Ngọc Ánh Siddharth Lakshmi Venkatesh Aarti
Priyanka Gurpreet Harpreet Rahul अनन्या राहुल Farhan Nadia Zainab Tariq Layla Hamza Yara Noam Tamar Yossi Ayelet Meir
陈静 刘洋 张伟 黄磊 鈴木 高橋 陽菜 蒼 서연 지훈 민서
Keanu Kalani ʻIolani Mahina Aroha Wiremu Tāne Shōta Ryūnosuke""".split()
LAST_NAMES = """O'Brien O'Sullivan O'Donnell O'Keeffe O'Shaughnessy Ó_Briain Ní_Bhriain Mac_Giolla D'Angelo D'Alessandro
D'Amico Dell'Orto Dall'Ara L'Heureux D'Aubigné D'Costa D'Mello N'Diaye N'Dour Kanté St._Clair St-Pierre Saint-Exupéry
Smith-Jones Lloyd-Webber Bowes-Lyon Zeta-Jones Jean-Louis Ortega_y_Gasset de_la_Fuente van_den_Bergh von_Trapp
ter_Horst al-Farsi Al-Khalil bin_Salman Abu-Ghazaleh ben_Ami Ben-Gurion Wa_Thiong'o McAllister MacDonald Fitzpatrick
Nowakowski Wiśniewski Dąbrowski Szczepańska Łukaszewicz Dvořáková Šťastný Öztürk Yılmaz Çelik Şahin Παπαδοπούλου
Κωνσταντίνου Кузнецов Смирнова Шевченко Nguyễn Trần Lê Phạm Iyer Venkataraman Chakraborty Ramírez Núñez Muñoz
Gonçalves Conceição Müller-Lüdenscheidt Groß Weiß Jäger Æsir Lindqvist Sørensen Hákonarson
王 李 山田 佐々木 이 박""".split()
LAST_NAMES = [name.replace("_", " ") for name in LAST_NAMES]  # "_" joins multi-word surnames
CITIES = """Dublin|Cork|Galway|Zürich|Genève|Köln|Düsseldorf|München|Wrocław|Łódź|Gdańsk|Brno|Plzeň|København|Tromsø
Reykjavík|İstanbul|İzmir|Θεσσαλονίκη|Київ|Львів|Санкт-Петербург|Hà Nội|Thành phố Hồ Chí Minh|Bengaluru|Chennai|Kolkata
São Paulo|Belo Horizonte|Bogotá|Medellín|Ciudad de México|Montréal|Québec|St. John's|Coeur d'Alene|Martha's Vineyard
Val-d'Or|L'Aquila|Sant'Agata de' Goti|Aix-en-Provence|Stratford-upon-Avon|Newcastle upon Tyne
大阪|京都|札幌|부산|인천|上海|深圳|القاهرة|تل أبيب|ירושלים|Wellington|Ōtautahi|Honolulu
's-Hertogenbosch|Ta' Xbiex|Hawai'i Kai"""
CITIES = CITIES.replace("\n", "|").split("|")
STREETS = [
    "{n} O'Connell Street, Dublin {d}",
    "Flat {n}/{m}, {n2} St. Stephen's Green",
    "{n2} Rue de l'Église, 75{m:03d} Paris",
    "Hauptstraße {n}a, 10{m:03d} Berlin",
    "Calle de Alcalá, {n}, {d}º izq., 28014 Madrid",
    "ul. Marszałkowska {n}/{m} m. {d}, 00-590 Warszawa",
    "Avenida Paulista, {n2} - apto. {m}, Bela Vista, São Paulo - SP, 01310-100",
    "〒100-0005 東京都千代田区丸の内{d}-{m}-{n}",
    "서울특별시 강남구 테헤란로 {n2}, {d}층",
    "{n2} Baker St., Apt. #{d}B, London NW1 6XE",
    "P.O. Box {n2}, Anchorage, AK 99501",
    "c/o {last}, {n} Main St. Suite {n2}, Springfield, IL 62701",
    "Rua Dr. António José d'Almeida, nº {n}, 3º Esq., 1000-042 Lisboa",
    "{n} Chemin de la Côte-des-Neiges, Montréal (Québec) H3H 1J9",
    "Plot No. {n}, Sector {d}, Near Hanuman Mandir, Gurugram, Haryana 122001",
    "Bahnhofstr. {n}, 8001 Zürich, Schweiz",
    "{n} King's Road, Unit {m}-{d}, Hong Kong",
    "Καρνεάδου {n}, 106 75 Αθήνα",
    "ул. Тверская, д. {n}, кв. {n2}, Москва, 125009",
    "Şehit Muhtar Mah. İstiklal Cd. No:{n} D:{d}, 34435 Beyoğlu/İstanbul",
]
PHONES = [
    "+1 (555) {a}-{b}",
    "+44 20 {a4} {b}",
    "0049 30 {a}{b}",
    "+33 1 {p2} {p2} {p2} {p2}",
    "(02) {a4} {b}",
    "555.{a}.{b}",
    "+81-3-{a4}-{b}",
    "+1-800-FLOWERS",
    "+49 (0) 89 {a} {b}-0",
    "+353 (0)1 {a} {b} ext. {p2}",
    "+91 98{p2} {a} {a}",
    "+7 (495) {a}-{p2}-{p2}",
    "0800 {a} {b}",
    "+55 11 9{a4}-{b}",
    "tel:+1-555-{a}-{b}",
]
MONEY = [
    "$1,299.99",
    "€ 12,50",
    "1.234,56 €",
    "¥12,000",
    "£5",
    "-15%",
    "+3.5%",
    "12.5 %",
    "USD 1,000.00",
    "R$ 49,90",
    "₹1,25,000",
    "CHF 1'250.00",
    "$0.99/mo",
    "~$40",
    "2 x €19.90 = €39.80",
    "zł 89,99",
    "₺250",
    "(1,234.00)",
    "-$12.00",
    "45.000 ₫",
]
EMOTICONS = [
    ":)",
    ":-(",
    ";-)",
    "<3",
    "</3",
    "xD",
    "¯\\_(ツ)_/¯",
    "(╯°□°）╯︵ ┻━┻",
    "^_^",
    "o_O",
    ":P",
    ":'(",
    ">_<",
    "(^-^)/",
    "\\o/",
    "🎉",
    "👍🏽",
    "❤️",
    "🇩🇪",
    "👨‍👩‍👧",
    "😂😂😂",
    "🙏",
    "🔥🔥",
    "✅",
    "😅",
    ":-/",
    "=)",
    "-_-",
    ":3",
    "8-)",
]
PRODUCTS = [
    'Men\'s 32" x 30" slim-fit jeans',
    'Picture frame, 8"x10" (fits 5"x7" with mat)',
    'Drill bit set 1/16" – 1/2" (29 pcs)',
    "Kids' raincoat, size 4T–5T",
    'TV wall mount for 32"–65" screens, VESA 400x400',
    "Stainless steel water bottle, 750 ml / 25 oz",
    'Ergonomic chair — seat height 17.5"–21.5"',
    "Cotton T-shirt (100% organic), unisex, S/M/L/XL",
    "Folding table 6' (72\") with carry handle",
    "Women's hiking boots, EU 38 / US 7.5",
    "USB-C hub 7-in-1 (HDMI 4K@60Hz, 3x USB-A, SD/microSD, PD 100W)",
    "Copper pipe ¾\" × 10', type L",
    "Plywood sheet 4'x8' – ½\" thick",
    "Espresso cups (set of 6), 80 ml — dishwasher-safe",
    'Lumber 2x4x8 (actual 1.5" × 3.5")',
    "Rug 5' 3\" x 7' 6\", 'Moroccan' pattern",
    "Bike tyre 700x25c, 60 TPI",
    "Ring size 7 ½ (US) / O (UK)",
    'Screws #8 x 1-1/4" (100 pk)',
    "Tent for 2–3 people, 210 × 150 × 110 cm, 2.4 kg",
]
HEIGHTS = ["5' 9\"", "6'2\"", "5 ft 4 in", "178 cm", "5'11''", "6’1”", "4′10″"]
MATH = [
    "a < b && c > d",
    "x => x*2",
    "if x >= 10 and y <= 5 then the discount applies",
    "2^10 = 1024",
    "f(x) = 3x + 2, so f(4) = 14",
    "σ = √(Σ(x−μ)²/N)",
    "E = mc^2",
    "50% < x < 75%",
    "C(n, k) = n! / (k! (n-k)!)",
    "|x - y| < ε",
    "1/3 + 1/6 = 1/2",
    "(a + b)^2 = a^2 + 2ab + b^2",
    "lim x→0 sin(x)/x = 1",
    "0 <= i < n",
    "p < 0.05 (two-tailed)",
    "5 * (3 + 2) - 4 / 2 = 23",
    "a != b || b == c",
    "∀x ∈ ℝ: x² ≥ 0",
    "ratio 16:9 or 4:3",
    "3 > 2 > 1 but 1 < 2 < 3",
    "y = mx + b where m = Δy/Δx",
    "~5% ± 0.3",
    "f'(x) = 2x",
    "speed = distance / time = 120 km / 1.5 h = 80 km/h",
]
TLDS = ["com", "org", "net", "io", "de", "fr", "co.uk", "com.br", "co.jp", "ie", "pl", "es", "in"]
WORDS = """alpha river orange kettle violet summer harbour pixel meadow quartz lantern copper maple
cedar falcon ember willow canyon velvet saffron atlas nimbus juniper""".split()
SEARCH_TERMS = [
    "red shoes size 42",
    "o'brien",
    "d'angelo pizza",
    "rock 'n' roll t-shirt",
    "select comfort mattress",
    "union jack flag",
    "drop earrings gold",
    "table lamp",
    "order tracking",
    "update firmware",
    "delete account",
    "where is my order",
    "how to insert sim card",
    '32" monitor',
    "6' ladder",
    "c++ book",
    "c# for beginners",
    "node.js vs deno",
    "100% cotton",
    "café au lait",
    "naïve bayes",
    "München hotels",
    "東京 ラーメン",
    "서울 카페",
    "москва метро",
    "iphone 15 pro max",
    '"exact phrase" search',
    "kids' books",
    "men's & women's",
    "AT&T",
    "Q&A",
    "rock & roll",
    "toys-r-us",
    "wi-fi 6e router",
    "1/2 inch drill",
    "pros/cons",
    "true wireless",
    "null hypothesis",
    "sleep mask",
    "benchmark results",
    "char siu recipe",
    "best of 2024",
    "either/or",
    "and/or",
    "between jobs",
    "like new",
    "group by",
    "having fun",
    "all in one",
    "exec chair",
]
SORTS = [
    "name asc",
    "created_at desc",
    "price DESC, name ASC",
    "updatedAt:-1",
    "-created_at",
    "created_at",
    "name",
    "-updated_at,name",
    "price:asc",
    "price:desc",
    "+priority,-due",
    "relevance",
]
FIELDS = ["id,name,email", "id,title,author.name", "*", "items(id,sku),total", "name,address.city,address.zip"]
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
    "Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 "
    "Edg/125.0.2535.92",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 "
    "Chrome/121.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 "
    "Mobile/15E148 Safari/604.1",
    "Dalvik/2.1.0 (Linux; U; Android 12; Pixel 6 Build/SQ3A.220705.004)",
    "MyBank/8.14.0 (com.example.mybank; build:8140; iOS 17.4.1) Alamofire/5.9.1",
    "okhttp/4.12.0",
    "Dart/3.3 (dart:io)",
    "axios/1.7.2",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "curl/8.5.0",
    "PostmanRuntime/7.39.0",
    "python-httpx/0.27.0",
    "Go-http-client/2.0",
    "Java-http-client/17.0.11",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/48.0.2564.82 Safari/537.36 Edge/20.02",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Mobile "
    "Safari/537.36 [FBAN/EMA;FBLC/de_DE;FBAV/359.0.0.10.113;]",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "Instagram 309.1.1.28.108 (iPhone14,5; iOS 17_1; de_DE; de; scale=3.00; 1170x2532; 541635890)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
    "WhatsApp/2.24.12.78 A",
]
ACCEPT_LANGUAGES = [
    "en-US,en;q=0.9",
    "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
    "fr-FR,fr;q=0.9",
    "es-419,es;q=0.9,en;q=0.8",
    "pt-BR,pt;q=0.9,en-US;q=0.8",
    "zh-CN,zh;q=0.9",
    "ja,en-US;q=0.9,en;q=0.8",
    "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7",
    "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7",
    "ar,en;q=0.9",
    "he-IL,he;q=0.9,en-US;q=0.8",
    "tr-TR,tr;q=0.9,en-US;q=0.8",
    "pl,en-US;q=0.7,en;q=0.3",
    "hi-IN,hi;q=0.9,en-IN;q=0.8,en;q=0.7",
    "vi-VN,vi;q=0.9,fr-FR;q=0.8",
    "*",
]

# Free text by language. Placeholders: {name} {city} {n} {date} {money} {product} {email}.
I18N: dict[str, list[str]] = {
    "de": [
        "Hallo {name}, Ihre Bestellung Nr. {n} wurde am {date} versandt.",
        "Die Lieferung nach {city} dauert leider 3–5 Werktage; wir bitten um Verständnis.",
        "Ich möchte mein Abo kündigen – bitte bestätigen Sie die Kündigung per E-Mail an {email}.",
        "Könnten Sie die Rechnung über {money} noch einmal prüfen? Der Betrag stimmt nicht.",
        "Größe M passt perfekt, aber die Farbe ist etwas dunkler als auf dem Foto.",
        "Wählen Sie bitte „Abholung“ oder „Versand“ aus und klicken Sie auf „Weiter“.",
        "Wir haben die Tabelle aktualisiert und die doppelten Einträge gelöscht.",
    ],
    "fr": [
        "Bonjour {name}, votre commande n° {n} a été expédiée le {date}.",
        "J'ai reçu l'article abîmé ; pouvez-vous m'envoyer une étiquette de retour ?",
        "L'équipe d'accueil à {city} était vraiment très sympathique, merci !",
        "Qu'en est-il de ma demande de remboursement de {money} ?",
        "Sélectionnez « Oui » si vous souhaitez recevoir notre lettre d'information.",
        "Aujourd'hui, c'est l'anniversaire d'Hélène : on s'retrouve chez Zoé à 20 h ?",
        "Il n'y a plus de stock pour l'instant, mais le réassort est prévu d'ici jeudi.",
    ],
    "es": [
        "Hola {name}, ¿podrían confirmar si el pedido n.º {n} sale hoy?",
        "¡Me encantó! La entrega a {city} fue rapidísima.",
        "No puedo iniciar sesión: dice «contraseña incorrecta» aunque la cambié ayer.",
        "El importe total es {money} (IVA incluido).",
        "Seleccione la talla y el color antes de añadir al carrito.",
        "Mañana a las 9:30 actualizamos la tabla de tarifas para 2025.",
    ],
    "pt": [
        "Olá {name}, o seu pedido nº {n} já está a caminho de {city}.",
        "Não recebi o código de verificação; podem reenviar para {email}?",
        "Adorei o produto, mas a caixa chegou amassada :(",
        "O valor de {money} foi debitado duas vezes no cartão.",
        "Você pode atualizar o endereço de entrega até às 18h.",
    ],
    "it": [
        "Ciao {name}, l'ordine n. {n} è stato spedito il {date}.",
        "Dov'è il mio pacco? Il tracking dice 'in consegna' da tre giorni.",
        "Un po' caro, ma ne è valsa la pena: qualità eccellente.",
    ],
    "pl": [
        "Dzień dobry, zamówienie nr {n} dotarło uszkodzone – proszę o zwrot {money}.",
        "Świetny kontakt ze sprzedawcą, polecam!",
        "Czy mogę zmienić adres dostawy na {city}?",
        "Wybierz rozmiar i kliknij „Dodaj do koszyka”.",
    ],
    "tr": [
        "Merhaba {name}, {n} numaralı siparişiniz {date} tarihinde kargoya verildi.",
        "Ürün çok güzel ama beden biraz küçük geldi.",
        "İade işlemi için ne yapmam gerekiyor?",
        "Ödeme sırasında 'kart reddedildi' hatası alıyorum.",
    ],
    "ru": [
        "Здравствуйте, {name}! Ваш заказ № {n} отправлен {date}.",
        "Подскажите, пожалуйста, когда будет доставка в {city}?",
        "Товар пришёл с повреждённой упаковкой, прошу вернуть {money}.",
        "Выберите «Самовывоз» или «Курьер» и нажмите «Далее».",
        "Обновите приложение до последней версии и попробуйте ещё раз.",
    ],
    "uk": ["Дякую за швидку доставку до {city}!", "Чи можна змінити розмір замовлення № {n}?"],
    "el": [
        "Γεια σας, η παραγγελία {n} δεν έχει φτάσει ακόμα.",
        "Πολύ καλή ποιότητα, θα ξαναγοράσω σίγουρα!",
        "Μπορείτε να μου στείλετε το τιμολόγιο στο {email};",
    ],
    "ar": [
        "مرحباً {name}، تم شحن طلبك رقم {n} بتاريخ {date}.",
        "المنتج ممتاز لكن التوصيل إلى {city} تأخر قليلاً.",
        "هل يمكنني تغيير عنوان التسليم؟",
        "المبلغ الإجمالي {money} شامل الضريبة.",
    ],
    "he": [
        "שלום {name}, ההזמנה מס' {n} נשלחה ב-{date}.",
        "המוצר מעולה, אבל המשלוח ל{city} לקח שבועיים.",
        "אפשר לקבל חשבונית מס למייל {email}?",
    ],
    "hi": [
        "नमस्ते {name}, आपका ऑर्डर नं. {n} {date} को भेज दिया गया है।",
        "प्रोडक्ट अच्छा है लेकिन डिलीवरी में देरी हुई।",
        "कृपया मेरा पता {city} में बदल दें।",
    ],
    "zh": [
        "您好{name}，您的订单 {n} 已于 {date} 发货。",
        "质量很好，物流也很快，五星好评！",
        "请问可以开发票吗？抬头：{name}。",
        "选择“到店自提”或者“快递配送”，然后点击“下一步”。",
        "价格是{money}，比上个月便宜了不少。",
        "《用户协议》已更新，请于{date}前确认；如有疑问请联系客服＇小王＇。",
    ],
    "ja": [
        "{name}様、ご注文（番号：{n}）は{date}に発送いたしました。",
        "サイズがちょっと大きかったので、交換をお願いできますか？",
        "「配送」か「店舗受取」を選択してください。",
        "とても使いやすいです！またリピートします😊",
        "＜重要＞システムメンテナンスのお知らせ（{date}）",
        "【重要】パスワード再設定のご案内：ＩＤ＝ａｂｃ１２３",
        "お問い合わせ番号：＃{n}／担当：{name}",
        "価格：￥１２，８００（税込）＆送料無料",
    ],
    "ko": [
        "{name}님, 주문번호 {n} 상품이 {date}에 발송되었습니다.",
        "배송이 너무 빨라서 놀랐어요 ㅎㅎ",
        "사이즈 교환 가능한가요?",
        "'매장 픽업' 또는 '택배 배송'을 선택해 주세요.",
    ],
    "vi": [
        "Chào {name}, đơn hàng số {n} đã được giao cho đơn vị vận chuyển ngày {date}.",
        "Sản phẩm tốt, đóng gói cẩn thận, sẽ ủng hộ shop tiếp!",
        "Cho mình hỏi có ship tới {city} không ạ?",
    ],
    "nl": ["Hoi {name}, je bestelling {n} is onderweg naar {city}.", "Kun je de factuur van {money} opnieuw sturen?"],
    "sv": ["Hej {name}! Din beställning {n} skickades {date}.", "Går det att byta storlek på tröjan?"],
    "cs": ["Dobrý den, objednávka č. {n} ještě nedorazila.", "Skvělý produkt, doporučuji všem!"],
    "th": ["สินค้าดีมาก จัดส่งรวดเร็ว ขอบคุณค่ะ", "สั่งซื้อหมายเลข {n} ยังไม่ได้รับสินค้าครับ"],
    "id": ["Barang sudah sampai di {city}, terima kasih!", "Apakah bisa kirim ke alamat kantor saya?"],
}

# English business prose full of SQL-ish words, as customers and colleagues write it.
BUSINESS = [
    "Please select the union members who dropped out last {month} and send them the survey.",
    "Order by date desc in the report, then group the totals by region.",
    "Update the table of contents before you send the draft to {name}.",
    "Insert coin to continue, says the old arcade machine in the lobby.",
    "Delete my account and all my data, please. Thanks, {name}",
    "Where is my order? I placed it on {date} and it still says 'processing'.",
    "Can we drop the 3 pm meeting and join the 4 pm one instead?",
    "The union between the two companies was announced on {date}; shares dropped 4%.",
    "Select all that apply: delivery, pickup, or both.",
    "Could you update the shipping address from {city} to my office?",
    "I'd like to create a new table booking for 6 people, or 8 if possible.",
    "Execute the contract by Friday and declare the goods at customs.",
    "We need to truncate the summary to 200 characters for the app store.",
    "Null and void: the previous offer no longer applies after {date}.",
    "Values like 'N/A' or '-' mean the field is empty.",
    "Is the 'from' date inclusive, or does the range start the day after?",
    "My manager asked me to merge the two spreadsheets and sort by last name.",
    "The script for the school play is ready; the cast will exec a dry run on {weekday}.",
    "It's either the blue one or the green one — I can't decide!",
    "Where's the 'drop-off' point for returns in {city}?",
    "Count me in for Friday's team lunch; I'll bring the desserts.",
    "The sum of all invoices is {money}, not including the late fee.",
    "Having a table by the window would be lovely, if that's not too much trouble.",
    "I've been a union rep for 12 years and never seen a vote like this.",
    "Grant and Revoke are the two founders; Grant handles sales.",
    "The waiter said 'select any two sides' but charged me for three.",
    "Drop shipping takes 7–10 days, while regular orders ship in 2.",
    "Our new 'Insert Sheet' feature lets you add a page anywhere in the doc.",
    "Shutdown is scheduled for {date} at 22:00 UTC; the update will take ~30 min.",
    "Admin rights were granted to O'Connor and revoked from D'Souza yesterday.",
    "Is it true that users can't log in between 1 and 2 am?",
    "Please don't sleep on this offer: it ends {date}!",
    "Benchmark results: the new laptop is 20% faster than the old one.",
    "If the item is out of stock or discontinued, just refund me.",
    "We'll order pizza and wings for the team; any requests?",
    "Set the thermostat to 21 and leave the window open a crack.",
    "Join us for the quarterly all-hands, where we'll go over the roadmap.",
    "The case for the new phone doesn't fit; where do I return it?",
    "The 'where' and 'when' of the event are in the invite.",
    "Do you ship to P.O. boxes? Mine is #{n}.",
    "Select your size first; the 'Add to cart' button stays grey until you do.",
    "Update: we're back online! Sorry for the 2-hour outage this morning.",
    "Union Station at 5? I'll be by the big clock.",
    "Drop by anytime after 10 -- the door code is on the invoice.",
    "Insert tab A into slot B, then tighten the screws (don't over-tighten!).",
    "Create an account or log in with Google, Apple or your e-mail address.",
    "Exec summary attached; the full report follows on {weekday}.",
    "Declare your items at customs if the total is over {money}.",
    "Grant access to O'Brien and D'Souza for the shared drive, please.",
    'Alter the dress: hem 2" shorter and take in the waist by 1/2".',
    "I waited two hours -- nobody came, and nobody called.",
    "Is it O'Brien or O'Neill? The invoice says one, the parcel the other.",
    "Please spell it O'Connor, not O'Conner -- thanks!",
    "Book recommendation: 'JavaScript: The Good Parts' by Douglas Crockford.",
    "You have 3 new alert(s) and 1 message(s) waiting.",
    "Please replace <your name> and <order number> in the form letter before sending.",
    "Cast and crew: see the programme (p. 4) for the full list.",
    "Sleep mode kicks in after 5 min; change it under Settings > Display.",
    "Their 'all-you-can-eat' buffet: 12.99 per person, kids under 6 eat free.",
    "Between you and me, the 'new' model is the old one in a different colour.",
    "Case closed? Not yet -- the refund of {money} is still pending.",
    "The wine list goes from a 5 euro house red to a 300 euro Bordeaux; or just order by the glass.",
    "Null points for the UK again this year, and 12 points from Ireland to Norway.",
    "Please confirm: dinner for 2 on {date}, 8 pm, table by the window (if available).",
]
# Everyday English as customers, colleagues and neighbours write it.
EVERYDAY = [
    "Arrived a day late but well packed; the {product} works as described.",
    "Honestly the best purchase I've made this year. My wife loves it too!",
    "Customer service was friendly, but I had to call three times before anyone called back.",
    "Not what I expected... the colour is more grey than blue. Still keeping it.",
    "Could someone tell me if this fits a 2019 Honda Civic? The listing doesn't say.",
    "We're moving on {date}, so please send the replacement to our new address in {city}.",
    "The app logs me out every time I switch to another app and back. iPhone 13, iOS 17.",
    "Hi team, just checking in on my refund for order {n} — it's been two weeks.",
    "I'm allergic to nuts; does the granola contain any traces?",
    "Five stars for the delivery guy who waited while I ran downstairs!",
    "Meh. It does the job, but for {money} I expected better stitching.",
    "Happy birthday, {first}! Hope you have a fantastic day 🎂",
    "Can we move our 1:1 to Thursday? Something came up on Wednesday afternoon.",
    "The kids' party is at 3 pm at {first}'s place — bring a swimsuit if it's sunny.",
    "Running 10 minutes late, sorry! Traffic on the M50 is awful.",
    "Thank you so much for the quick fix, you saved my weekend.",
    "Does anyone know a good plumber near {city}? Ours retired.",
    "The instructions were missing, but I found a PDF on the manufacturer's site.",
    "It's great for small kitchens; it folds flat and fits under the sink.",
    "I accidentally ordered two — how do I return one without paying shipping?",
    "My husband's account was charged twice on {date}. Please refund one of the charges.",
    "Can't wait for the concert next week!!! Who else is going?",
    "The battery lasts about two days with normal use, less if you stream a lot.",
    "Please leave the parcel with the neighbour at no. {d} if I'm not home.",
    "Tried the recipe last night: add a pinch of salt and don't overbake it.",
    "Lost my card yesterday; I've frozen it in the app. What happens next?",
    "Looking forward to working with you, {first}. Let me know if you need anything else.",
    "FYI the Wi-Fi password at the office changed; ask reception for the new one.",
    "Great hotel, terrible breakfast. The coffee was cold and the eggs were runny.",
    "Who's bringing the projector to Friday's workshop?",
    "Hey, are we still on for dinner at 7? I booked a table for four.",
    "Received the wrong size (L instead of M). Exchange please?",
    "Our flight got cancelled so we'll arrive on {weekday} instead of {weekday2}.",
    "My order says 'delivered' but there's nothing at my door or in the mailbox.",
    "The screen protector has a bubble in the corner no matter how I apply it.",
    "Love the new update! Dark mode finally works on the settings page.",
    "Would it be possible to get an invoice addressed to my company, {last} GmbH?",
    "Is there a student discount? I'm at University College {city}.",
    "Sorry for the late reply — I was on holiday without internet.",
    "The tap in bathroom 2 keeps dripping; can maintenance take a look this week?",
    "Parking is free after 6 pm and on Sundays, just so you know.",
    "Dear Sir or Madam, I am writing to complain about the noise from the construction site.",
    "Good morning! Quick reminder: the team photo is at 11:30 in the lobby.",
    "What's the difference between the Pro and the Pro Max, apart from the size?",
    "Will this be back in stock before Christmas? I'd like to get it for my dad.",
    "It stopped charging after 3 months. Warranty claim #{n}.",
    "I gave it 4 stars because the lid is a bit hard to open for my mum.",
    "We'd love to host the event at your venue on {date}, for about 80 guests.",
    "The tracking number doesn't work on the courier's website.",
    "Just wanted to say the new bakery on Main St. is amazing; try the croissants!",
]
# Casual chat: abbreviations, elisions, punctuation runs, hashtags, mentions.
CHAT = [
    "lol that's exactly what happened to me last week 😂",
    "idk, maybe try turning it off and on again?",
    "thx!! will do",
    "omg the new season is SO good!!! no spoilers pls",
    "can u send me the pics from saturday? the ones w/ the dog",
    "brb, pizza's here",
    "Y'all won't believe what the cat did this morning...",
    "It's 5 o'clock somewhere 🍹",
    "Yes ma'am, I'll be there at 9 sharp.",
    "Best '90s playlist ever — rock 'n' roll all night!",
    "i shouldn't've eaten that much cake :/",
    "ok so... who's driving tmrw? I can take 3 ppl",
    "#throwback to {city} 2019 @{handle} remember this??",
    "@{handle} you're a legend, thank you!",
    "Congrats on the new job!!! 🎉🎉",
    "not gonna lie, the ending was kinda meh",
    "Hmm... 50/50 on this one. Anyone tried the XL?",
    "Meeting's pushed to 3:30 (again). Sorry folks!",
    "ETA 10 min — traffic's a nightmare",
    "Who ate my yoghurt from the office fridge?! 😤",
    "gm ☀️ coffee first, then emails",
    "Sooo... are we doing Secret Santa this year or nah?",
    "Kk, see u at the café (the one on {first}'s street)",
    "Ugh, Monday again -_-",
    "haha no worries, happens to the best of us",
]
# Sentences quoting options or commands, as UIs and support agents write them.
QUOTED = [
    "Reply 'YES' or 'NO' to confirm your appointment.",
    "Choose 'Standard' or 'Express' shipping at checkout.",
    "Type 'delete' to confirm that you want to remove the project.",
    "Is it 'color' or 'colour' in the UK version?",
    'Click "Save" and then "Publish" — otherwise nobody sees the changes.',
    "The status can be 'open', 'pending' or 'closed'.",
    "Set 'Visibility' to 'Only me' if you don't want others to see it.",
    'He said "I\'ll call you back" and never did.',
    "The sign said 'Employees only' but the door was open.",
    "Under 'Notifications', switch off 'Marketing e-mails' and 'Tips & tricks'.",
    "Answer 'A' or 'B' for each question; there's no 'C'.",
    "In the 'Where did you hear about us?' box I wrote 'a friend'.",
    "My son's nickname is 'The Tornado' — for good reason!",
    "She asked: 'Is 1 or 2 sugars OK?' and I said 'none, thanks'.",
    "Press and hold '1' for voicemail, or '0' for the operator.",
]
# Pieces of requests people write with SQL-ish verbs, composed as opener + request + tail.
OPENERS = ["", "", "Hi, ", "Hello team, ", "Quick question: ", "FYI: ", "Hey {first}, ", "Dear support, ", "Sorry, "]
REQUESTS = [
    "please select the best two options",
    "could you update my delivery address",
    "we need to drop the 3 pm slot",
    "I want to delete the duplicate entries",
    "can you insert a new page after section 2",
    "let's join the two spreadsheets",
    "we'll order more chairs",
    "I'd like to create a new shared folder",
    "should we truncate the long descriptions",
    "don't forget to grant {first} access to the calendar",
    "remember to revoke the old badge",
    "feel free to alter the seating plan",
    "we had to cancel the union meeting",
    "please merge my two accounts",
    "can you sort the guest list",
    "I'll exec the plan with {first}",
    "could you replace the broken table leg",
    "please count the chairs in room 4",
    "can we group the photos by event",
    "we need to limit the guest list",
]
TAILS = [
    ".",
    "?",
    " before {weekday}.",
    " by end of day, please.",
    " if that's OK?",
    " — thanks!",
    " and sort them by date.",
    ", then order by price (lowest first).",
    " where the status is 'pending'.",
    ", or leave it as is.",
    " and group the totals by region.",
    " unless the count is 0.",
    " between 9 and 5 tomorrow.",
    " for 1 or 2 people.",
    " from the 'Archive' tab.",
    " into the 'Done' column.",
    " where it says 'N/A'.",
    " and set the rest to 'none'.",
    " — all of them, not just the top 10.",
    " where O'Brien's name is misspelled.",
    " having checked with {first} first.",
    " and drop me a line when it's done.",
]
MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

SUPPORT = [
    "Try running `pip install --upgrade {pkg}` and restart the app.",
    "I ran `brew install {pkg}` on macOS 14 and it worked fine.",
    "After `npm install` I get a peer dependency warning for {pkg}; is that expected?",
    "Go to Settings > Privacy > Location Services and turn it on for the app.",
    "Clear the cache with Ctrl+Shift+Del (Cmd+Shift+Delete on a Mac) and reload.",
    "Run `sudo systemctl restart nginx` after editing the config, then check `systemctl status nginx`.",
    "The log says 'connection refused' on port 5432 — is Postgres running?",
    "Open a terminal and type `python3 --version`; it should say 3.11 or later.",
    "I unzipped the archive to C:\\Program Files\\{pkg} but the installer can't find it.",
    "Our build fails with `error: linker 'cc' not found`; any ideas?",
    "Please attach the output of `{pkg} --version` and your OS version.",
    "Restarting the router (unplug for 30 s) fixed the Wi-Fi issue for me.",
    "Use `git pull --rebase` before pushing, otherwise you'll get a merge commit.",
    "On Windows, press Win+R, type %APPDATA% and delete the {pkg} folder.",
    "The download link https://downloads.example.com/{pkg}/latest?os=win&arch=x64 returns 404.",
    "Make sure the file is saved as UTF-8, not UTF-16, or the import will fail.",
    "Set the env var `{PKG}_HOME=~/.config/{pkg}` and try again.",
    "When I press Ctrl+C the process exits with code 130 — is that a crash?",
    "Docker Desktop says 'WSL 2 installation is incomplete'. I followed the docs step by step.",
    "Is there a way to export my data as CSV or JSON instead of PDF?",
]
PACKAGES = ["requests", "numpy", "pandas", "flask", "django", "react", "vue", "jq", "ffmpeg", "wget", "node", "rustup"]

MARKDOWN = [
    "## Summary\n\n{sentence}\n\n### Steps\n\n1. Open **{product}** page\n2. Click _Buy now_\n3. See error\n\n"
    "**Expected:** checkout opens.\n**Actual:** blank screen.",
    "| Item | Qty | Price |\n|:-----|----:|------:|\n| {product} | {n} | {money} |\n| Shipping | 1 | {money} |",
    "> {sentence}\n\nAgreed — see [the docs](https://docs.example.{tld}/guide#section-{n}) for details.",
    "- [x] {sentence}\n- [ ] Update changelog\n- [ ] Tag v{version}",
    "* {sentence}\n* {sentence2}\n\n_Edited {date}_",
    "**TL;DR:** {sentence}\n\n---\n\nLonger version: {paragraph}",
    '![screenshot](https://i.example.{tld}/{hex8}.png "Settings page")\n\n{sentence}',
    "# Release {version}\n\n## Added\n- {sentence}\n\n## Fixed\n- {changelog}\n\n[Full diff](https://git.example.{tld}/"
    "compare/v{version}...main)",
    "Use `{word}` instead of `{word2}` — {sentence}",
    "1. {sentence}\n2. {sentence2}\n   - nested note with a [link](https://example.{tld}/a/b?c=d&e=f)\n3. Done!",
    "<details>\n<summary>Logs</summary>\n\n{changelog}\n\n</details>",
    "{paragraph}\n\nCheers,\n{name}\n\n--\nSent from my phone",
]

# Fenced code as it appears in documentation-like posts. Counted apart (benign-code-*).
CODE_SNIPPETS: dict[str, list[str]] = {
    "sql": [
        "SELECT id, name, created_at\nFROM users\nWHERE status = 'active'\nORDER BY created_at DESC\nLIMIT 20;",
        "SELECT c.name, COUNT(o.id) AS orders\nFROM customers c\nLEFT JOIN orders o ON o.customer_id = c.id\n"
        "GROUP BY c.name\nHAVING COUNT(o.id) > 5;",
        "UPDATE products SET price = price * 1.1 WHERE category = 'books';",
        "INSERT INTO tags (name) VALUES ('python'), ('sql'), ('o''reilly');",
        "CREATE TABLE invoices (\n  id BIGSERIAL PRIMARY KEY,\n  total NUMERIC(10, 2) NOT NULL,\n"
        "  issued_on DATE DEFAULT CURRENT_DATE\n);",
        "DELETE FROM sessions WHERE expires_at < NOW() - INTERVAL '30 days';",
        "WITH monthly AS (\n  SELECT date_trunc('month', paid_at) AS m, SUM(amount) AS total\n"
        "  FROM payments GROUP BY 1\n)\n"
        "SELECT m, total FROM monthly ORDER BY m;",
        "SELECT name FROM employees WHERE dept_id IN (SELECT id FROM depts WHERE region = 'EMEA');",
    ],
    "python": [
        "import requests\n\nresp = requests.get('https://api.example.com/items', params={'page': 2}, timeout=10)\n"
        "resp.raise_for_status()\nprint(resp.json()['items'][0])",
        "def slugify(title: str) -> str:\n    return re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')",
        "with open('data.csv', newline='') as f:\n    for row in csv.DictReader(f):\n        print(row['name'])",
        "@app.get('/users/{user_id}')\nasync def read_user(user_id: int):\n    return {'id': user_id}",
        "total = sum(item.price * item.qty for item in cart if item.qty > 0)",
        "df = pd.read_sql('SELECT * FROM sales WHERE year = %s', conn, params=(2024,))",
    ],
    "js": [
        "const res = await fetch(`/api/items?page=${page}`);\nconst { items } = await res.json();",
        "document.querySelector('#save').addEventListener('click', () => {\n  form.submit();\n});",
        "const total = cart.reduce((sum, item) => sum + item.price * item.qty, 0);",
        "export default function Button({ label, onClick }) {\n  return <button onClick={onClick}>{label}</button>;\n}",
        "app.get('/health', (req, res) => res.json({ ok: true }));",
        "const el = document.getElementById('price');\nel.textContent = `${price.toFixed(2)} €`;",
    ],
    "shell": [
        "$ pip install -r requirements.txt\n$ python manage.py migrate",
        "curl -s -H 'Accept: application/json' 'https://api.example.com/v1/items?limit=5' | jq '.items[].name'",
        'for f in *.jpg; do convert "$f" -resize 50% "small_$f"; done',
        "tar -xzf backup.tar.gz -C /var/backups && ls -la /var/backups",
        'export PATH="$HOME/.local/bin:$PATH"\nsource ~/.bashrc',
        'docker run --rm -p 8080:80 -v "$(pwd)":/usr/share/nginx/html nginx:alpine',
        "grep -rn 'TODO' src/ | wc -l",
        "find . -name '*.log' -mtime +7 -delete",
    ],
    "html": [
        '<div class="card">\n  <h2>{{ title }}</h2>\n  <p>{{ body }}</p>\n</div>',
        '<a href="https://example.com/docs" target="_blank" rel="noopener">Docs</a>',
        '<img src="/static/logo.png" alt="Logo" width="120">',
    ],
}

# Structured query languages sent as values (GraphQL bodies, OData, JQL, search syntax).
QUERYLANG = [
    (
        "graphql",
        "query GetUser($id: ID!) {\n  user(id: $id) {\n    id\n    name\n"
        "    orders(first: 10) { edges { node { id total } } }\n  }\n}",
    ),
    (
        "graphql",
        "mutation AddToCart($sku: String!, $qty: Int!) {\n"
        "  addToCart(sku: $sku, qty: $qty) { cart { id itemCount } }\n}",
    ),
    ("graphql", '{ products(filter: {category: "shoes", priceLt: 100}, sort: PRICE_ASC) { id name price } }'),
    ("graphql", 'query { search(q: "o\'brien") { ... on User { id login } ... on Repo { id fullName } } }'),
    ("odata", "$filter=Price gt 20 and Category eq 'Books'&$orderby=Name desc&$top=10"),
    ("odata", "$filter=startswith(LastName, 'O''Br') and City eq 'Dublin'&$select=FirstName,LastName"),
    ("odata", "$filter=CreatedAt ge 2024-01-01T00:00:00Z&$expand=Orders($select=Id,Total)&$count=true"),
    ("jql", 'project = WEB AND status in ("In Progress", Review) AND assignee = currentUser() ORDER BY updated DESC'),
    ("jql", "labels = backend and created >= -7d order by priority desc, created asc"),
    ("jql", 'text ~ "login error" AND fixVersion is EMPTY'),
    ("search", 'is:issue is:open label:"good first issue" language:python'),
    ("search", "title:(red OR blue) AND price:[10 TO 50] -brand:acme"),
    ("search", 'from:anna@example.com subject:"invoice" has:attachment after:2024/01/01'),
    ("search", 'repo:octo/hello-world path:src/*.ts "TODO" NOT fixme'),
    ("sheets", '=IF(AND(B2>=10, C2<5), "order", "skip")'),
    ("sheets", "=VLOOKUP(A2, Prices!A:C, 3, FALSE)"),
    ("mongo", '{"status": {"$in": ["open", "pending"]}, "total": {"$gte": 100}}'),
    ("jsonpath", "$.store.book[?(@.price < 10)].title"),
    ("cron", "*/15 9-17 * * 1-5"),
    ("loopback", '{"where":{"and":[{"price":{"lt":100}},{"name":{"like":"%mug%"}}]},"order":"price ASC","limit":20}'),
    ("loopback", '{"where":{"status":"open"},"include":["author"],"fields":{"id":true,"title":true}}'),
    ("regex", "^[A-Z]{2}\\d{2}[ ]?\\d{4}[ ]?\\d{4}$"),
    ("regex", "^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,}$"),
    ("prometheus", 'sum(rate(http_requests_total{job="api",status=~"5.."}[5m])) by (route)'),
    ("logql", '{app="checkout"} |= "timeout" | json | duration > 2s'),
]


# --------------------------------------------------------------------------------------------------------------
# Value generators
# --------------------------------------------------------------------------------------------------------------


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _png(r: random.Random) -> bytes:
    width, height = r.randrange(1, 64), r.randrange(1, 64)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    data = zlib.compress(r.randbytes(r.randrange(20, 200)))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _pdf(r: random.Random, title: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 712 Td ({title[:60]}) Tj ET".encode("latin-1", "replace")
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"4 0 obj\n<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n"
        b"trailer\n<< /Root 1 0 R /Size " + str(r.randrange(5, 40)).encode() + b" >>\n%%EOF\n"
    )


def _protobuf(r: random.Random) -> bytes:
    out = bytearray()
    for tag in range(1, r.randrange(3, 9)):
        if r.random() < 0.5:
            out += bytes([tag << 3, r.randrange(128)])
        else:
            body = r.randbytes(r.randrange(2, 24))
            out += bytes([(tag << 3) | 2, len(body)]) + body
    return bytes(out)


def _clip(text: str, limit: int) -> str:
    """Shorten to ``limit`` characters at a word boundary, as a UI would."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return (cut or text[:limit]) + "…"


def _slug(text: str) -> str:
    """A URL slug as CMSs make them (ASCII letters and digits joined by hyphens)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "post"


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9'-]", "", folded).strip("'-")


class Gen:
    """Random values of realistic shapes from one seeded generator and the real-text pools."""

    def __init__(self, seed: int, texts: Texts) -> None:
        self.r = random.Random(seed)  # noqa: S311 - a reproducible corpus, not secrets
        self.t = texts

    def pick(self, xs: Sequence[T]) -> T:
        return xs[self.r.randrange(len(xs))]

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    # --- people and places ----------------------------------------------------------------------------------
    def name(self) -> str:
        name = f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"
        roll = self.r.random()
        if roll < 0.1:  # phones type the typographic apostrophe
            return name.replace("'", "’")
        if roll < 0.15:
            return self.pick([f"Dr. {name}", f"{name} Jr.", f"{name} III", f"Prof. {name}, PhD", f"{name} (née Smith)"])
        if roll < 0.18:
            first, _, last = name.partition(" ")
            return f'{first} "{self.pick(["Bob", "Bibi", "Sandy", "Jo"])}" {last}'
        return name

    def email(self) -> str:
        first, last = _ascii(self.pick(FIRST_NAMES)), _ascii(self.pick(LAST_NAMES))
        first, last = first or self.pick(WORDS), last or self.pick(WORDS)
        local = self.pick(
            [
                f"{first}.{last}",
                f"{first}{last.replace(chr(39), '')}",
                f"{first}+orders",
                f"{first[:1]}{last}{self.r.randrange(99)}",
                f"{last}_{first}",
                f"{first}.{last}",
            ]
        )
        return f"{local}@{self.pick(['example', 'mail.example', 'corp-example', 'example-shop'])}.{self.pick(TLDS)}"

    def address(self) -> str:
        n, m, d = self.r.randrange(1, 300), self.r.randrange(1, 99), self.r.randrange(1, 12)
        return self.pick(STREETS).format(n=n, m=m, d=d, n2=self.r.randrange(1, 2000), last=self.pick(LAST_NAMES))

    def phone(self) -> str:
        return self.pick(PHONES).format(
            a=self.r.randrange(100, 999),
            b=self.r.randrange(1000, 9999),
            a4=self.r.randrange(1000, 9999),
            p2=f"{self.r.randrange(100):02d}",
        )

    def date(self) -> str:
        y, mo, d, h, mi = (
            self.r.randrange(2019, 2027),
            self.r.randrange(1, 13),
            self.r.randrange(1, 29),
            self.r.randrange(24),
            self.r.randrange(60),
        )
        return self.pick(
            [
                f"{y}-{mo:02d}-{d:02d}",
                f"{d:02d}/{mo:02d}/{y}",
                f"{mo}/{d}/{y % 100:02d}",
                f"{MONTHS[mo - 1]} {d}, {y}",
                f"{d}. {['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni'][mo % 6]} {y}",
                f"{self.pick(WEEKDAYS)[:3]}, {d:02d} {MONTHS[mo - 1][:3]} {y} {h:02d}:{mi:02d}:00 GMT",
                f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{self.r.randrange(60):02d}.{self.r.randrange(1000):03d}Z",
                f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:00+05:30",
                f"{d}.{mo}.{y}",
                f"{y}年{mo}月{d}日",
                f"Q{(mo - 1) // 3 + 1} {y}",
                f"{h % 12 or 12}:{mi:02d} {'am' if h < 12 else 'pm'}",
                str(1_600_000_000 + self.r.randrange(200_000_000)),
            ]
        )

    def money(self) -> str:
        if self.chance(0.5):
            return self.pick(MONEY)
        return f"{self.pick(['$', '€', '£', ''])}{self.r.randrange(1, 5000)}.{self.r.randrange(100):02d}"

    # --- text -----------------------------------------------------------------------------------------------
    def fill(self, template: str) -> str:
        return template.format(
            name=self.name(),
            city=self.pick(CITIES),
            n=self.r.randrange(2, 99_999),
            date=self.date(),
            money=self.money(),
            product=self.pick(PRODUCTS),
            email=self.email(),
            month=self.pick(MONTHS),
            weekday=self.pick(WEEKDAYS),
            weekday2=self.pick(WEEKDAYS),
            first=self.pick(FIRST_NAMES),
            handle=_ascii(self.pick(FIRST_NAMES)).replace("'", "") + self.pick(["", "_", "."]) + self.pick(WORDS),
            last=self.pick(LAST_NAMES),
            d=self.r.randrange(1, 120),
            pkg=self.pick(PACKAGES),
            PKG=self.pick(PACKAGES).upper(),
        )

    def sentence(self) -> str:
        """Everyday prose (templates); now and then HTML-escaped twice over, as some CMSs store it."""
        roll = self.r.random()
        pool = EVERYDAY if roll < 0.55 else BUSINESS if roll < 0.75 else CHAT if roll < 0.9 else QUOTED
        text = self.fill(self.pick(pool))
        roll = self.r.random()
        if roll < 0.04:
            text = text.replace("&", "&amp;").replace("'", self.pick(["&#39;", "&#x27;", "&apos;", "&rsquo;"]))
        elif roll < 0.2:  # smart punctuation of phone keyboards and word processors
            text = re.sub(r'"([^"]*)"', r"“\1”", text.replace("'", "’"))
        return text

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randrange(2, 5)))

    def business_request(self) -> str:
        """Opener + request + tail: SQL-ish verbs, quotes and 'or' in combinations people write."""
        opener = self.fill(self.pick(OPENERS))
        request = self.fill(self.pick(REQUESTS))
        if not opener or opener.endswith(": "):
            request = request[:1].upper() + request[1:]
        return opener + request + self.fill(self.pick(TAILS))

    def doc_sentence(self) -> str:
        """A sentence of real technical writing (READMEs, docstrings)."""
        pool = self.t.sentences.get("docs")
        return self.pick(pool) if pool else self.sentence()

    def doc_paragraph(self) -> str:
        pool = self.t.paragraphs.get("docs")
        return self.pick(pool) if pool else self.paragraph()

    def legal_paragraph(self) -> str:
        pool = self.t.paragraphs.get("legal")
        return self.pick(pool) if pool else self.paragraph()

    def ui_text(self, lang: str) -> str:
        """A real translated UI message with its placeholders filled in."""
        messages = self.t.ui.get(lang)
        if not messages:
            return self.i18n()
        return _PRINTF.sub(
            lambda _: self.pick(
                [self.filename(), str(self.r.randrange(1, 999)), self.pick(FIRST_NAMES), self.pick(WORDS)]
            ),
            self.pick(messages),
        )

    def country(self, lang: str = "") -> str:
        names = self.t.countries.get(lang) or [n for ns in self.t.countries.values() for n in ns[:3]]
        return self.pick(names) if names else self.pick(["Ireland", "Deutschland", "日本", "Côte d'Ivoire"])

    def changelog(self) -> str:
        return self.pick(self.t.changelog) if self.t.changelog else self.sentence()

    def techdoc(self) -> str:
        if self.t.man_i18n and self.chance(0.25):
            return self.pick(self.t.man_i18n[self.pick(sorted(self.t.man_i18n))])
        return self.pick(self.t.techdocs) if self.t.techdocs else self.fill(self.pick(SUPPORT))

    def i18n(self, lang: str | None = None) -> str:
        lang = lang or self.pick(list(I18N))
        if lang in self.t.cjk and self.chance(0.2):
            return self.pick(self.t.cjk[lang])
        return " ".join(self.fill(self.pick(I18N[lang])) for _ in range(self.r.randrange(1, 3)))

    def emoticon_text(self) -> str:
        base = self.pick([self.sentence(), self.i18n(), self.fill(self.pick(BUSINESS))])
        return self.pick(
            [
                f"{base} {self.pick(EMOTICONS)}",
                f"{self.pick(EMOTICONS)} {base}",
                f"{base} {self.pick(EMOTICONS)}{self.pick(EMOTICONS)}",
            ]
        )

    def markdown(self) -> str:
        return self.pick(MARKDOWN).format(
            sentence=self.sentence(),
            sentence2=self.sentence(),
            paragraph=self.paragraph(),
            changelog=self.sentence(),
            product=self.pick(PRODUCTS),
            n=self.r.randrange(1, 99),
            money=self.money(),
            tld=self.pick(TLDS),
            version=self.version(),
            date=self.date(),
            hex8=self.hexstr(8),
            word=self.pick(WORDS),
            word2=self.pick(WORDS),
            name=self.name(),
        )

    # --- identifiers and blobs ------------------------------------------------------------------------------
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def hexstr(self, n: int) -> str:
        return self.r.randbytes((n + 1) // 2).hex()[:n]

    def version(self) -> str:
        a, b, c = self.r.randrange(0, 20), self.r.randrange(0, 40), self.r.randrange(0, 100)
        return self.pick(
            [
                f"{a}.{b}.{c}",
                f"{a}.{b}.{c}-beta.{self.r.randrange(9)}",
                f"{a}.{b}.{c}+build.{c}",
                f"{a}.{b}",
                f"{a}.{b}.{c}rc1",
            ]
        )

    def version_spec(self) -> str:
        v = self.version()
        return self.pick(
            [f"^{v}", f"~{v}", f">={v},<{self.r.randrange(20, 30)}", f"=={v}", f"~={v}", v, f"{v} || ^3.0"]
        )

    def jwt(self) -> str:
        header = {"alg": self.pick(["HS256", "RS256", "ES256"]), "typ": "JWT"}
        if self.chance(0.5):
            header["kid"] = self.hexstr(16)
        payload = {
            "sub": self.uuid(),
            "name": self.name(),
            "iat": 1_700_000_000 + self.r.randrange(10**7),
            "scope": self.pick(["read:orders write:orders", "openid profile email", "admin"]),
        }
        sig = _b64url(self.r.randbytes(self.pick([32, 64, 256])))
        return (
            f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(payload, ensure_ascii=False).encode())}.{sig}"
        )

    def blob(self) -> tuple[str, bytes]:
        kind = self.pick(["png", "pdf", "protobuf", "gzip", "random", "text"])
        if kind == "png":
            return "image/png", _png(self.r)
        if kind == "pdf":
            return "application/pdf", _pdf(self.r, self.sentence())
        if kind == "protobuf":
            return "application/x-protobuf", _protobuf(self.r)
        if kind == "gzip":
            return "application/gzip", gzip.compress(self.paragraph().encode(), mtime=0)
        if kind == "text":
            return "text/plain", self.paragraph().encode()
        return "application/octet-stream", self.r.randbytes(self.r.randrange(16, 300))

    def token_value(self) -> str:
        return self.pick(
            [
                self.uuid(),
                self.uuid().replace("-", ""),
                self.jwt(),
                self.hexstr(32),
                self.hexstr(40),
                self.hexstr(64),
                base64.b64encode(self.r.randbytes(self.r.randrange(12, 48))).decode(),
                _b64url(self.r.randbytes(24)),
                f"pi_{_b64url(self.r.randbytes(18))}",
                f"cus_{self.hexstr(14).upper()}",
                f"arn:aws:s3:::{self.pick(WORDS)}-bucket/uploads/{self.uuid()}.jpg",
                f"01{''.join(self.pick('0123456789ABCDEFGHJKMNPQRSTVWXYZ') for _ in range(24))}",
                self.hexstr(24),
                str(self.r.randrange(10**17, 10**19)),
                f"sha256:{self.hexstr(64)}",
                f'W/"{self.hexstr(16)}"',
                f"DE{self.r.randrange(10, 99)} {self.r.randrange(1000, 9999)} {self.r.randrange(1000, 9999)} "
                f"{self.r.randrange(1000, 9999)} {self.r.randrange(1000, 9999)} {self.r.randrange(10, 99)}",
                f"**** **** **** {self.r.randrange(1000, 9999)}",
                f"978-{self.r.randrange(0, 9)}-{self.r.randrange(100, 999)}-"
                f"{self.r.randrange(10000, 99999)}-{self.r.randrange(10)}",
                self.version_spec(),
            ]
        )

    def url(self) -> str:
        host = f"{self.pick(['www', 'shop', 'api', 'cdn', 'blog', 'docs'])}.{self.pick(WORDS)}.{self.pick(TLDS)}"
        path = "/".join(
            self.pick(["en-us", "products", "2024", "help", "p", self.pick(WORDS), str(self.r.randrange(999))])
            for _ in range(self.r.randrange(1, 4))
        )
        query = self.pick(
            [
                "",
                f"?utm_source=newsletter&utm_medium=email&utm_campaign={self.pick(WORDS)}_{self.r.randrange(99)}",
                f"?q={quote(self.pick(SEARCH_TERMS))}&page={self.r.randrange(1, 9)}",
                f"?ref={self.hexstr(8)}#reviews",
                f"?id={self.r.randrange(99999)}&lang=de",
                f"?fbclid={_b64url(self.r.randbytes(30))}",
            ]
        )
        return f"https://{host}/{path}{query}"

    def filename(self) -> str:
        base = self.pick(
            [
                "report (final)",
                "IMG_{d}_{t}",
                "Résumé – {name}",
                "budget_2024-Q3 v2 (copy)",
                "{name} CV",
                "Scan {d}",
                "invoice #{n}",
                "notes & ideas",
                "Screenshot {d} at {t}",
                "contract_signed[1]",
                "photo #{n} 😀",
                "データ_{n}",
                "слайды {n}",
                "My Document's Title",
                "team-offsite_agenda.v3",
            ]
        ).format(
            d=f"2024-0{self.r.randrange(1, 10)}-1{self.r.randrange(10)}",
            t=f"{self.r.randrange(10, 24)}.{self.r.randrange(10, 60)}.0{self.r.randrange(10)}",
            name=self.name(),
            n=self.r.randrange(1, 9999),
        )
        return f"{base}.{self.pick(['pdf', 'docx', 'xlsx', 'jpg', 'png', 'heic', 'csv', 'txt', 'zip', 'mp4', 'pptx'])}"

    def local_path(self, name: str) -> str:
        user = re.sub(r"[^a-z]", "", self.pick(FIRST_NAMES).lower()) or "user"
        return self.pick(
            [
                f"C:\\Users\\{user}\\Documents\\{name}",
                f"C:\\Users\\{user}\\OneDrive - Example Ltd\\Shared\\{name}",
                f"D:\\Photos\\2024\\{name}",
                f"/Users/{user}/Desktop/{name}",
                f"/home/{user}/Downloads/{name}",
                f"~/Pictures/{name}",
                f"\\\\fileserver\\team\\{name}",
                f"Documents/Projects/{self.pick(WORDS)}/{name}",
            ]
        )

    def csv_line(self) -> str:
        """A small CSV export (comma, semicolon or tab separated, quoted as the csv module quotes)."""
        rows = [["id", "name", "email", "amount", "city", "note"]]
        for _ in range(self.r.randrange(1, 4)):
            amount = f"{self.r.randrange(1, 999)}.{self.r.randrange(100):02d}"
            name = f"{self.pick(LAST_NAMES)}, {self.pick(FIRST_NAMES)}"
            note = _clip(self.fill(self.pick(EVERYDAY)), 40)
            rows.append([str(self.r.randrange(1, 9999)), name, self.email(), amount, self.pick(CITIES), note])
        out = io.StringIO()
        csv.writer(out, delimiter=self.pick([",", ";", "\t"]), lineterminator=self.pick(["\n", "\r\n"])).writerows(rows)
        return out.getvalue()

    def password(self) -> str:
        roll = self.r.random()
        if roll < 0.3:
            return "-".join(self.pick(WORDS) for _ in range(4))
        if roll < 0.6:
            return f"{self.pick(WORDS).capitalize()}{self.r.randrange(100, 9999)}{self.pick('!@#$%&*?')}"
        alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#$%^&*-_=+.?"
        return "".join(self.pick(alphabet) for _ in range(self.r.randrange(12, 24)))


# --------------------------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Req:
    category: str
    desc: str
    method: str
    uri: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _json(req: Req, payload: object, g: Gen) -> Req:
    req.headers["Content-Type"] = g.pick(["application/json", "application/json; charset=utf-8", "application/json"])
    req.body = json.dumps(payload, ensure_ascii=g.chance(0.25)).encode("utf-8")
    return req


def _form(req: Req, fields: list[tuple[str, str]], g: Gen) -> Req:
    req.headers["Content-Type"] = "application/x-www-form-urlencoded"
    req.body = urlencode(fields).encode("ascii")
    return req


def _query(path: str, fields: list[tuple[str, str]], g: Gen) -> str:
    if g.chance(0.3):  # some clients keep brackets, commas and colons readable
        return path + "?" + urlencode(fields, safe="[],:*-")
    return path + "?" + urlencode(fields, quote_via=quote if g.chance(0.4) else quote_plus)


def _id(g: Gen) -> str:
    return g.pick([str(g.r.randrange(1, 10**6)), g.uuid(), g.hexstr(24)])


def build_prose(g: Gen) -> Req:
    kind = g.r.randrange(4)
    if kind == 0:
        req = Req("benign-prose", "product review", "POST", f"/api/v1/products/{_id(g)}/reviews")
        return _json(
            req,
            {
                "rating": g.r.randrange(1, 6),
                "title": _clip(g.sentence(), 70),
                "body": g.paragraph(),
                "pros": [g.sentence() for _ in range(g.r.randrange(0, 3))],
                "author": {"display_name": g.name(), "location": g.pick(CITIES)},
                "would_recommend": g.chance(0.7),
            },
            g,
        )
    if kind == 1:
        req = Req("benign-prose", "support ticket", "POST", "/api/v2/tickets")
        return _json(
            req,
            {
                "subject": _clip(g.sentence(), 90),
                "description": "\n\n".join(g.paragraph() for _ in range(g.r.randrange(1, 4))),
                "requester": {"name": g.name(), "email": g.email()},
                "custom_fields": {"order_id": str(g.r.randrange(10**6)), "channel": g.pick(["web", "ios", "email"])},
                "priority": g.pick(["low", "normal", "high", "urgent"]),
            },
            g,
        )
    if kind == 2:
        req = Req("benign-prose", "forum reply", "PATCH", f"/api/forum/threads/{_id(g)}/posts/{_id(g)}")
        return _json(
            req, {"content": g.paragraph(), "edit_reason": _clip(g.sentence(), 60), "notify": g.chance(0.5)}, g
        )
    req = Req("benign-prose", "document with sections", "PUT", f"/api/wiki/pages/{g.pick(WORDS)}-{g.r.randrange(99)}")
    sections = [{"heading": _clip(g.sentence(), 50), "text": g.paragraph()} for _ in range(g.r.randrange(1, 4))]
    return _json(req, {"title": _clip(g.sentence(), 60), "sections": sections, "tags": g.r.sample(WORDS, 3)}, g)


def build_changelog(g: Gen) -> Req:
    req = Req(
        "benign-tech-changelog", "release notes (Debian changelogs)", "POST", f"/api/apps/{g.pick(WORDS)}/releases"
    )
    notes = [g.changelog() for _ in range(g.r.randrange(1, 6))]
    return _json(req, {"version": g.version(), "notes": notes, "published_at": g.date(), "draft": g.chance(0.2)}, g)


def build_techdocs(g: Gen) -> Req:
    req = Req("benign-tech-manpage", "Q&A answer quoting a manual page", "POST", f"/api/questions/{_id(g)}/answers")
    return _json(req, {"body": g.techdoc(), "quote": g.techdoc() if g.chance(0.4) else None, "author": g.name()}, g)


def build_techprose(g: Gen) -> Req:
    if g.chance(0.5):
        req = Req(
            "benign-tech-prose", "issue comment (README and docstring prose)", "POST", f"/api/issues/{_id(g)}/comments"
        )
        return _json(req, {"body": g.doc_paragraph(), "in_reply_to": g.doc_sentence() if g.chance(0.3) else None}, g)
    req = Req("benign-tech-prose", "wiki page (README and docstring prose)", "PUT", f"/api/wiki/{g.pick(WORDS)}")
    sections = [{"heading": _clip(g.doc_sentence(), 60), "text": g.doc_paragraph()} for _ in range(g.r.randrange(1, 4))]
    return _json(req, {"title": _clip(g.doc_sentence(), 70), "sections": sections}, g)


def build_legal(g: Gen) -> Req:
    req = Req(
        "benign-tech-legal",
        "terms page (licence texts)",
        "PUT",
        f"/api/cms/pages/{g.pick(['terms', 'licence', 'notices'])}",
    )
    return _json(
        req, {"title": g.pick(["Terms of use", "Open-source notices", "Licence"]), "body": g.legal_paragraph()}, g
    )


def build_ui(g: Gen) -> Req:
    lang = g.pick(sorted(g.t.ui) or ["de"])
    if g.chance(0.6):
        req = Req(
            "benign-ui-text",
            f"translation upload ({lang})",
            "PUT",
            f"/api/projects/{g.pick(WORDS)}/strings/{g.hexstr(8)}",
        )
        return _json(
            req,
            {
                "locale": lang.replace("_", "-"),
                "source": g.ui_text("en"),
                "translation": g.ui_text(lang),
                "reviewed": g.chance(0.5),
            },
            g,
        )
    req = Req("benign-ui-text", f"client error report ({lang})", "POST", "/api/telemetry/errors")
    return _json(
        req, {"message": g.ui_text(lang), "locale": lang, "app_version": g.version(), "country": g.country(lang)}, g
    )


def _richtext(g: Gen) -> str:
    """HTML as rich-text editors (TinyMCE, Quill, CKEditor, Outlook) send it."""
    sentence = html.escape(g.sentence(), quote=False)
    return g.pick(
        [
            f"<p>{sentence}</p><p>{html.escape(g.sentence(), quote=False)}</p>",
            f"<p>Hi {html.escape(g.pick(FIRST_NAMES))},</p><p><br></p><p>{sentence}</p><p>Best,<br>{g.name()}</p>",
            f'<p>{sentence} See <a href="{html.escape(g.url())}" target="_blank" rel="noopener noreferrer">'
            "this page</a>.</p>",
            f"<ul><li>{sentence}</li><li><strong>{g.pick(PRODUCTS)}</strong> &ndash; {g.money()}</li></ul>",
            f'<p style="text-align: center;"><span style="color: rgb(34, 34, 34); font-family: Arial, sans-serif;">'
            f"{sentence}</span></p>",
            f"<h2>{html.escape(_clip(g.pick(EVERYDAY), 40))}</h2>"
            f'<p><img src="https://cdn.example.com/u/{g.hexstr(12)}.jpg" '
            f'alt="{html.escape(g.pick(PRODUCTS))}" width="600" height="400"></p>',
            f"<blockquote><p>{sentence}</p></blockquote><p>&mdash; {g.name()}</p>",
            f"<table><thead><tr><th>Item</th><th>Qty</th></tr></thead><tbody><tr><td>{html.escape(g.pick(PRODUCTS))}"
            f"</td><td>{g.r.randrange(1, 9)}</td></tr></tbody></table>",
            f'<div class="MsoNormal">{sentence}<o:p></o:p></div><div class="MsoNormal">&nbsp;<o:p></o:p></div>',
            f"<p>{sentence}&nbsp;<em>{html.escape(g.pick(EMOTICONS))}</em></p><p><code>{g.pick(WORDS)}</code></p>",
            f'<p><a href="mailto:{g.email()}">{html.escape(g.name())}</a> &middot; <a href="tel:+35312345678">'
            f"{g.phone()}</a></p>",
            f"<ol><li><p>{sentence}</p></li><li><p>{html.escape(g.sentence(), quote=False)}</p></li></ol>",
        ]
    )


def build_richtext(g: Gen) -> Req:
    req = Req("benign-richtext", "rich-text HTML from an editor", g.pick(["POST", "PUT"]), f"/api/articles/{_id(g)}")
    return _json(
        req,
        {"title": _clip(g.sentence(), 60), "content_html": _richtext(g), "excerpt": g.sentence(), "status": "draft"},
        g,
    )


TEMPLATES = [
    "Hi {{first_name}}, your order {{order.number}} ships {{ship_date | date: '%b %d' }}.",
    "Dear *|FNAME|*, thanks for joining *|LIST:COMPANY|*!",
    "Hello %FIRSTNAME%, your appointment is on %DATE% at %TIME%.",
    "Hi {first_name}! Your code is {code}. It expires in {minutes} minutes.",
    "{% if customer.first_name %}Hi {{ customer.first_name }},{% else %}Hello,{% endif %} your cart misses you!",
    "Your verification code is {{code}}. Don't share it with anyone.",
    "Hallo {{ vorname }}, Ihre Bestellung {{ bestellnummer }} ist unterwegs.",
    "[[name]] invited you to [[workspace]].",
    "Hi <%= user.name %>, your password was changed on <%= date %>.",
    "Bonjour {{prénom}}, votre colis arrive le {{date_livraison}}.",
    "{{#items}}- {{name}} x{{qty}}\n{{/items}}Total: {{total}}",
    "Hey @{{username}}, {{count}} new comments on “{{post_title}}”.",
]


def build_template(g: Gen) -> Req:
    req = Req("benign-templates", "notification template", "PUT", f"/api/notifications/templates/{g.pick(WORDS)}")
    return _json(
        req,
        {
            "name": g.pick(["order_shipped", "welcome", "otp", "reminder"]),
            "channel": g.pick(["email", "sms", "push"]),
            "subject": _clip(g.pick(TEMPLATES), 50),
            "body": g.pick(TEMPLATES),
            "locale": g.pick(["en", "de", "fr"]),
        },
        g,
    )


def build_xml(g: Gen) -> Req:
    esc = html.escape
    kind = g.r.randrange(3)
    if kind == 0:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/'
            f'envelope/">\n  <soap:Body>\n    <CreateOrder xmlns="urn:example:orders">\n      <Customer>'
            f"{esc(g.name())}</Customer>\n      <Address>{esc(g.address())}</Address>\n      <Note>"
            f'{esc(g.sentence())}</Note>\n      <Total currency="EUR">{g.r.randrange(1, 999)}.{g.r.randrange(100):02d}'
            "</Total>\n    </CreateOrder>\n  </soap:Body>\n</soap:Envelope>"
        )
    elif kind == 1:
        items = "".join(
            f"<item><title>{esc(_clip(g.sentence(), 60))}</title><link>{esc(g.url())}</link>"
            f"<pubDate>{g.date()}</pubDate><description>{esc(g.paragraph())}</description></item>"
            for _ in range(g.r.randrange(1, 4))
        )
        title = esc(g.pick(WORDS))
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'
    else:
        lang = g.pick(list(I18N))
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><review product="{g.r.randrange(99999)}" '
            f'rating="{g.r.randrange(1, 6)}">'
            f"<author>{esc(g.name())}</author><text>{esc(g.paragraph())}</text>"
            f'<text lang="{lang}">{esc(g.i18n(lang))}</text></review>'
        )
    req = Req(
        "benign-xml",
        "XML body (SOAP, RSS, review)",
        "POST",
        g.pick(["/soap/orders", "/api/feeds/import", "/api/reviews.xml"]),
    )
    req.headers["Content-Type"] = g.pick(["application/xml", "text/xml; charset=utf-8"])
    req.body = body.encode("utf-8")
    return req


def build_webhook(g: Gen) -> Req:
    req = Req("benign-webhook", "payment/event webhook", "POST", f"/webhooks/{g.pick(['stripe', 'shop', 'crm'])}")
    metadata = {"order_id": str(g.r.randrange(10**6)), "note": g.sentence(), "customer_name": g.name()}
    return _json(
        req,
        {
            "id": f"evt_{_b64url(g.r.randbytes(18))}",
            "type": g.pick(["payment_intent.succeeded", "customer.updated", "invoice.paid", "order.created"]),
            "created": 1_700_000_000 + g.r.randrange(10**7),
            "livemode": False,
            "data": {
                "object": {
                    "amount": g.r.randrange(100, 10**6),
                    "currency": g.pick(["eur", "usd", "gbp", "jpy"]),
                    "description": g.pick([g.sentence(), None, f"Order #{g.r.randrange(10**5)} — {g.pick(PRODUCTS)}"]),
                    "billing_details": {"name": g.name(), "email": g.email(), "address": {"line1": g.address()}},
                    "metadata": metadata if g.chance(0.5) else json.dumps(metadata, ensure_ascii=False),
                    "statement_descriptor": g.pick(["EXAMPLE*SHOP", "D'ANGELO'S PIZZA", "O'BRIEN & SONS"]),
                },
                "previous_attributes": {"email": None, "phone": g.phone()},
            },
        },
        g,
    )


def build_paths(g: Gen) -> Req:
    """Values in path segments: names, titles, file names, tags, percent-encoded or not."""
    name = g.pick(LAST_NAMES)
    tag = quote(g.pick(["c++", "c#", ".net", "node.js", "r&d", "q&a", "ci/cd", "o’reilly"]), safe="")
    slug = _slug(_clip(g.sentence(), 50))
    variant = quote(g.pick(["32x30", "7 ½", "XL", "EU 38", "10.5"]))
    segment = g.pick(
        [
            f"/wiki/{quote(name.replace(' ', '_'))}_(surname)",
            f"/api/people/{quote(g.name())}",
            f"/api/people/{name.replace(' ', '-').lower()}",
            f"/api/tags/{tag}/posts",
            f"/files/{quote(g.filename())}",
            f"/api/search/{quote(g.pick(SEARCH_TERMS))}",
            f"/shop/{g.pick(['kids', 'mens', 'womens'])}/{_slug(g.pick(PRODUCTS))}",
            f"/api/cities/{quote(g.pick(CITIES))}/weather",
            f"/blog/{g.r.randrange(2015, 2027)}/{g.r.randrange(1, 13):02d}/{slug}",
            f"/api/v1/products/{g.r.randrange(10**5)}/variants/{variant}",
        ]
    )
    req = Req("benign-paths", "values in the URL path", "GET", segment)
    if g.chance(0.4):
        req.uri += "?" + urlencode([("ref", g.pick(["home", "email", "search"])), ("lang", g.pick(["de", "fr", "en"]))])
    return req


SYSADMIN = [
    "Edit /etc/hosts and add a line `127.0.0.1 myapp.local`, then reload the page.",
    "On Windows the file is C:\\Windows\\System32\\drivers\\etc\\hosts; open Notepad as administrator first.",
    "Check /var/log/nginx/error.log -- it should say why the upstream timed out.",
    "Run `chmod 600 ~/.ssh/id_ed25519` or ssh refuses the key as too open.",
    "The install script is `curl -fsSL https://get.example.com/install.sh | sh`; read it before you run it.",
    "Add `export PATH=$HOME/.cargo/bin:$PATH` to ~/.bashrc and open a new terminal.",
    "Our cron job is `0 3 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1`.",
    "sudo apt update && sudo apt install -y postgresql-15 fixed it for me.",
    "Config lives in ~/.config/{pkg}/config.toml (or %APPDATA%\\{pkg}\\config.toml on Windows).",
    "If `systemctl status {pkg}` shows 'failed', try `journalctl -u {pkg} --since today`.",
    "The container can't resolve DNS; check /etc/resolv.conf inside it: `docker exec -it web cat /etc/resolv.conf`.",
    "Mount the share with `sudo mount -t cifs //nas/photos /mnt/photos -o user={pkg}`.",
    "Use `kill -9 <pid>` only as a last resort; `kill <pid>` lets the process clean up.",
    "The path is /proc/cpuinfo on Linux; on macOS use `sysctl -n machdep.cpu.brand_string`.",
    "Set `max_connections = 200` in postgresql.conf and restart; don't forget shared_buffers.",
]


def build_sysadmin(g: Gen) -> Req:
    req = Req("benign-code-sysadmin", "sysadmin help with commands and system paths", "POST", "/api/community/answers")
    text = " ".join(g.fill(g.pick(SYSADMIN)) for _ in range(g.r.randrange(1, 3)))
    return _json(req, {"question_id": g.r.randrange(10**6), "body": text, "author": g.name()}, g)


DATA_KEYS = """theme_color accent_color background location geometry service_area coordinates timezone duration
recurrence contact mime_type locale allowed_ip branch image shortcut threshold default_value link""".split()


def _data_value(g: Gen) -> tuple[str, object]:
    """A settings or record field of one of many small formats, with a fitting key."""
    lat, lon = g.r.uniform(-80, 80), g.r.uniform(-179, 179)
    options: list[object] = [
        f"#{g.hexstr(6)}",
        f"rgb({g.r.randrange(256)}, {g.r.randrange(256)}, {g.r.randrange(256)})",
        f"hsl({g.r.randrange(360)}deg {g.r.randrange(101)}% {g.r.randrange(101)}%)",
        f"{abs(lat):.4f}° {'N' if lat > 0 else 'S'}, {abs(lon):.4f}° {'E' if lon > 0 else 'W'}",
        f"POINT({lon:.5f} {lat:.5f})",
        f"POLYGON(({lon:.2f} {lat:.2f}, {lon + 1:.2f} {lat:.2f}, {lon + 1:.2f} {lat + 1:.2f}, {lon:.2f} {lat:.2f}))",
        [round(lon, 6), round(lat, 6)],
        g.pick(["Europe/Dublin", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "UTC+05:30", "GMT-3"]),
        g.pick(["P1DT2H", "PT15M", "P3Y6M4DT12H30M5S", "-PT1H"]),
        g.pick(["FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10", "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=DAILY;UNTIL=20250101T000000Z"]),
        f"BEGIN:VCARD\nVERSION:3.0\nFN:{g.name()}\nTEL;TYPE=cell:{g.phone()}\nEMAIL:{g.email()}\nEND:VCARD",
        g.pick(
            [
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "text/plain; charset=utf-8",
                'multipart/mixed; boundary="frontier"',
                "image/svg+xml",
            ]
        ),
        g.pick(["en_US.UTF-8", "zh-Hant-TW", "pt-BR", "sr-Latn-RS", "de-CH-1996"]),
        g.pick(
            ["10.0.0.0/8", "192.168.1.17", "2001:db8::1", "[2001:db8::1]:8443", "00:1A:2B:3C:4D:5E", "fe80::1%eth0"]
        ),
        g.pick(["refs/heads/main", "HEAD~3", "origin/feature/login-page", "v2.3.1^{}", "release/2024.06"]),
        g.pick(["nginx:1.25-alpine", f"ghcr.io/example/app@sha256:{g.hexstr(64)}", "postgres:15"]),
        g.pick(["Ctrl+Alt+Del", "⌘+Shift+4", "Alt+F4", "Ctrl+Z / Ctrl+Y", "Fn + F2"]),
        g.pick(["1e-5", "-0.00", "NaN", "Infinity", "0x1F", "1_000_000", "3.14159", "½", "¾", "2⁵", "10^6"]),
        g.pick(["true", "false", "null", "undefined", "None", "N/A", "-", "—", "0", "", " ", "n/a", "TBD", "?"]),
        g.pick(
            [
                "mailto:support@example.com?subject=Order%20help&body=Hi%20there",
                "tel:+353-1-234-5678",
                "sms:+15551234567?body=STOP",
                f"geo:{lat:.4f},{lon:.4f}",
                "spotify:track:6rqhFgbbKwnb9MLmUQDhG6",
                "slack://channel?team=T0123&id=C0456",
                "itms-apps://apps.apple.com/app/id123456789",
                "zoommtg://zoom.us/join?confno=1234567890&pwd=abc",
                "webcal://calendar.example.com/team.ics",
                "urn:isbn:978-3-16-148410-0",
                "urn:uuid:" + g.uuid(),
                "data:image/png;base64," + base64.b64encode(_png(g.r)[:60]).decode(),
            ]
        ),
    ]
    index = g.r.randrange(len(options))
    return DATA_KEYS[index], options[index]


def build_data(g: Gen) -> Req:
    req = Req("benign-data", "settings with many small formats", "PATCH", f"/api/settings/{g.uuid()}")
    return _json(req, dict(_data_value(g) for _ in range(g.r.randrange(3, 8))), g)


def build_readme_upload(g: Gen) -> Req:
    """A package upload carrying a whole README as its long description (multipart, as registries take it)."""
    readme = g.pick(g.t.readmes) if g.t.readmes else "\n\n".join(g.markdown() for _ in range(3))
    boundary = f"----------------{g.hexstr(24)}"
    fields = [
        ("name", g.pick(WORDS) + "-" + g.pick(WORDS)),
        ("version", g.version()),
        ("summary", _clip(g.doc_sentence(), 90)),
        ("description_content_type", g.pick(["text/markdown", "text/x-rst"])),
        ("description", readme),
        ("requires_python", g.pick([">=3.9", ">=3.8,<4", "~=3.11"])),
    ]
    parts = [f'Content-Disposition: form-data; name="{k}"\r\n\r\n{v}'.encode() for k, v in fields]
    body = b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode()
    req = Req("benign-code-readme", "package upload with a whole README", "POST", "/legacy/")
    req.headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    req.body = body
    return req


def build_json_patch(g: Gen) -> Req:
    ops = [
        {"op": "replace", "path": "/display_name", "value": g.name()},
        {"op": "add", "path": "/tags/-", "value": g.pick(SEARCH_TERMS)},
        {"op": "remove", "path": f"/addresses/{g.r.randrange(3)}"},
        {"op": "replace", "path": "/notes", "value": g.sentence()},
        {"op": "test", "path": "/version", "value": g.r.randrange(1, 40)},
        {"op": "move", "from": "/draft/title", "path": "/title"},
        {"op": "replace", "path": "/settings/a~1b", "value": g.pick(["on", "off", None, True])},
    ]
    req = Req("benign-jsonpatch", "JSON Patch / merge patch", "PATCH", f"/api/contacts/{g.uuid()}")
    if g.chance(0.7):
        req.headers["Content-Type"] = "application/json-patch+json"
        req.body = json.dumps(g.r.sample(ops, g.r.randrange(1, 5)), ensure_ascii=False).encode()
        return req
    req.headers["Content-Type"] = "application/merge-patch+json"
    req.body = json.dumps({"name": g.name(), "phone": None, "address": {"city": g.pick(CITIES)}}).encode()
    return req


def build_nested_form(g: Gen) -> Req:
    req = Req("benign-form", "form with nested keys (Rails/PHP style)", "POST", "/orders")
    fields = [
        ("authenticity_token", base64.b64encode(g.r.randbytes(32)).decode()),
        ("order[customer][name]", g.name()),
        ("order[customer][email]", g.email()),
        ("order[shipping][address]", g.address()),
        ("order[items][0][sku]", f"SKU-{g.r.randrange(10**5)}"),
        ("order[items][0][qty]", str(g.r.randrange(1, 5))),
        ("order[items][][name]", g.pick(PRODUCTS)),
        ("order[note]", g.sentence()),
        ("commit", g.pick(["Place order", "Weiter", "Commander"])),
    ]
    return _form(req, fields, g)


def build_schema(g: Gen) -> Req:
    """Documents with '@' and '$' keywords: JSON-LD, JSON Schema / OpenAPI fragments, MongoDB Extended JSON data."""
    kind = g.r.randrange(3)
    if kind == 0:
        doc: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": g.pick(["Product", "Event", "Person", "Organization"]),
            "@id": f"https://www.example.com/p/{g.r.randrange(10**5)}#{g.pick(['product', 'event', 'me'])}",
            "name": g.pick(PRODUCTS),
            "description": g.sentence(),
            "offers": {"@type": "Offer", "price": f"{g.r.randrange(1, 500)}.00", "priceCurrency": "EUR"},
            "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.6", "reviewCount": g.r.randrange(900)},
        }
        req = Req("benign-schema", "JSON-LD structured data", "PUT", f"/api/seo/pages/{_id(g)}")
        return _json(req, doc, g)
    if kind == 1:
        doc = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://schemas.example.com/{g.pick(WORDS)}.json",
            "title": g.pick(["Customer", "Order", "Address"]),
            "type": "object",
            "required": ["name", "email"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "description": g.sentence()},
                "email": {"type": "string", "format": "email"},
                "address": {"$ref": "#/$defs/address"},
                "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9-]+$"}},
            },
            "$defs": {"address": {"type": "object", "properties": {"city": {"type": "string"}}}},
            "additionalProperties": False,
        }
        req = Req("benign-schema", "JSON Schema upload", "POST", "/api/registry/schemas")
        return _json(req, doc, g)
    doc = {
        "_id": {"$oid": g.hexstr(24)},
        "customer": g.name(),
        "created": {"$date": f"{g.r.randrange(2019, 2026)}-0{g.r.randrange(1, 10)}-1{g.r.randrange(10)}T10:00:00Z"},
        "total": {"$numberDecimal": f"{g.r.randrange(1, 900)}.{g.r.randrange(100):02d}"},
        "items": [{"sku": f"SKU-{g.r.randrange(10**5)}", "qty": {"$numberInt": str(g.r.randrange(1, 5))}}],
        "note": g.sentence(),
    }
    req = Req("benign-schema", "MongoDB Extended JSON record", "POST", "/api/import/orders")
    return _json(req, doc, g)


def _saml_response(g: Gen) -> str:
    issued = f"{g.r.randrange(2023, 2026)}-0{g.r.randrange(1, 10)}-1{g.r.randrange(10)}T0{g.r.randrange(10)}:30:00Z"
    xml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{g.hexstr(32)}" Version="2.0" '
        f'IssueInstant="{issued}" Destination="https://app.example.com/saml/acs">'
        "<saml:Issuer>https://idp.example.org/metadata</saml:Issuer>"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
        f'<saml:Assertion ID="_{g.hexstr(32)}" IssueInstant="{issued}" Version="2.0">'
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/></ds:SignedInfo>'
        f"<ds:SignatureValue>{base64.b64encode(g.r.randbytes(128)).decode()}</ds:SignatureValue></ds:Signature>"
        f'<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{g.email()}'
        "</saml:NameID></saml:Subject>"
        '<saml:AttributeStatement><saml:Attribute Name="displayName">'
        f"<saml:AttributeValue>{html.escape(g.name())}</saml:AttributeValue></saml:Attribute>"
        "</saml:AttributeStatement></saml:Assertion></samlp:Response>"
    )
    return base64.b64encode(xml.encode()).decode()


def build_sso(g: Gen) -> Req:
    """Single sign-on callbacks: SAML POST binding and OpenID Connect form_post."""
    return_to = f"https://app.example.com/dashboard?tab={g.pick(['billing', 'team', 'api-keys'])}&from=sso"
    if g.chance(0.5):
        req = Req("benign-sso", "SAML response (POST binding)", "POST", "/saml/acs")
        return _form(req, [("SAMLResponse", _saml_response(g)), ("RelayState", return_to)], g)
    state = _b64url(json.dumps({"returnTo": return_to, "nonce": g.hexstr(16)}).encode())
    if g.chance(0.5):
        req = Req("benign-sso", "OpenID Connect form_post", "POST", "/oauth/callback")
        return _form(req, [("code", _b64url(g.r.randbytes(32))), ("state", state), ("id_token", g.jwt())], g)
    req = Req("benign-sso", "OAuth authorization redirect", "GET", "/oauth/authorize")
    fields = [
        ("response_type", "code"),
        ("client_id", g.hexstr(20)),
        ("redirect_uri", "https://app.example.com/oauth/callback"),
        ("scope", "openid profile email offline_access"),
        ("state", state),
        ("code_challenge", _b64url(g.r.randbytes(32))),
        ("code_challenge_method", "S256"),
        ("prompt", g.pick(["login", "consent", "select_account"])),
        ("login_hint", g.email()),
        ("ui_locales", g.pick(["de-DE fr", "ja", "pt-BR"])),
    ]
    req.uri = _query(req.uri, fields, g)
    return req


def build_support(g: Gen) -> Req:
    req = Req("benign-support", "support chat with commands", "POST", "/api/chat/messages")
    text = " ".join(g.fill(g.pick(SUPPORT)) for _ in range(g.r.randrange(1, 3)))
    return _json(req, {"conversation_id": g.uuid(), "text": text, "sent_at": g.date()}, g)


def build_i18n(g: Gen) -> Req:
    lang = g.pick(list(I18N))
    if g.chance(0.25):
        req = Req("benign-i18n", f"search in {lang}", "GET", "/api/search")
        req.uri = _query(
            req.uri, [("q", _clip(g.i18n(lang), 80)), ("lang", lang), ("page", str(g.r.randrange(1, 5)))], g
        )
        return req
    req = Req("benign-i18n", f"message in {lang}", g.pick(["POST", "PUT"]), f"/api/messages/{_id(g)}")
    return _json(
        req,
        {
            "locale": lang,
            "subject": _clip(g.i18n(lang), 60),
            "body": g.i18n(lang),
            "recipient": {"name": g.name(), "city": g.pick(CITIES)},
            "meta": {"translated_from": g.pick(list(I18N)), "original": g.i18n()},
        },
        g,
    )


def build_profile(g: Gen) -> Req:
    req = Req("benign-profile", "profile update", "PATCH", f"/api/users/{g.uuid()}")
    first, last = g.pick(FIRST_NAMES), g.pick(LAST_NAMES)
    return _json(
        req,
        {
            "first_name": first,
            "last_name": last,
            "display_name": g.pick([f"{first} {last}", f"{last}, {first}", f"{first[:1]}. {last}"]),
            "email": g.email(),
            "phone": g.phone(),
            "alt_phone": g.phone() if g.chance(0.3) else None,
            "address": {
                "line1": g.address(),
                "city": g.pick(CITIES),
                "country": g.country(g.pick(sorted(g.t.countries) or ["de"])),
            },
            "birthday": g.date(),
            "height": g.pick(HEIGHTS),
            "bio": g.pick([g.sentence(), g.i18n(), g.emoticon_text()]),
            "website": g.url(),
            "company": g.pick(
                [f"{g.pick(LAST_NAMES)} & {g.pick(LAST_NAMES)} Ltd.", "AT&T", "Marks & Spencer plc", "Ben & Jerry's"]
            ),
        },
        g,
    )


def build_business(g: Gen) -> Req:
    text = g.business_request() if g.chance(0.4) else g.fill(g.pick(BUSINESS))
    if g.chance(0.3):
        req = Req("benign-business", "SQL-ish prose in a query", "GET", "/api/notes/search")
        req.uri = _query(req.uri, [("q", text), ("limit", "20")], g)
        return req
    req = Req("benign-business", "SQL-ish prose", "POST", g.pick(["/api/tasks", "/api/comments", "/api/orders/notes"]))
    return _json(req, {"text": text, "extra": g.fill(g.pick(BUSINESS)) if g.chance(0.4) else "", "due": g.date()}, g)


def build_markdown(g: Gen) -> Req:
    req = Req("benign-markdown", "markdown post", "POST", f"/api/repos/{g.pick(WORDS)}/{g.pick(WORDS)}/issues")
    return _json(
        req,
        {"title": _clip(g.sentence(), 80), "body": g.markdown(), "labels": g.r.sample(["bug", "docs", "ui", "p2"], 2)},
        g,
    )


def build_query(g: Gen) -> Req:
    req = Req(
        "benign-query",
        "search, filters, pagination",
        "GET",
        g.pick(["/api/v1/products", "/api/issues", "/api/v2/orders", "/search"]),
    )
    fields: list[tuple[str, str]] = []
    if g.chance(0.7):
        fields.append(
            ("q", g.pick([g.pick(SEARCH_TERMS), _clip(g.sentence(), 50), g.pick(LAST_NAMES), g.pick(CITIES)]))
        )
    fields += [("page", str(g.r.randrange(1, 50))), ("per_page", g.pick(["10", "25", "50", "100"]))]
    if g.chance(0.6):
        fields.append(("sort", g.pick(SORTS)))
    if g.chance(0.4):
        fields.append(("fields", g.pick(FIELDS)))
    if g.chance(0.5):
        fields.append(
            (f"filter[{g.pick(['status', 'state', 'type'])}]", g.pick(["open", "closed", "in_progress", "draft"]))
        )
    if g.chance(0.3):
        fields.append(("filter[created_at][gte]", g.date()))
    if g.chance(0.3):
        fields += [("price_min", str(g.r.randrange(0, 50))), ("price_max", f"{g.r.randrange(50, 500)}.99")]
    if g.chance(0.3):
        fields.append(("include", g.pick(["author,comments.author", "items", "customer.address"])))
    if g.chance(0.2):
        fields += [("tags[]", g.pick(WORDS)), ("tags[]", g.pick(WORDS))]
    if g.chance(0.2):
        fields.append(("cursor", _b64url(json.dumps({"id": g.r.randrange(10**6), "ts": g.date()}).encode())))
    if g.chance(0.2):
        fields.append(("redirect_uri", g.url()))
    if g.chance(0.15):
        fields.append(("callback", g.pick(["jQuery3510_1700000000", "handleResponse", "cb_12"])))
    g.r.shuffle(fields)
    req.uri = _query(req.uri, fields, g)
    return req


def build_form(g: Gen) -> Req:
    kind = g.r.randrange(4)
    if kind == 0:
        req = Req("benign-form", "login form", "POST", "/login")
        return _form(
            req,
            [
                ("username", g.email()),
                ("password", g.password()),
                ("remember_me", "on"),
                ("next", "/account/orders?tab=open"),
            ],
            g,
        )
    if kind == 1:
        req = Req("benign-form", "sign-up form", "POST", "/signup")
        pw = g.password()
        return _form(
            req,
            [
                ("full_name", g.name()),
                ("email", g.email()),
                ("password", pw),
                ("password_confirm", pw),
                ("phone", g.phone()),
                ("terms", "accepted"),
            ],
            g,
        )
    if kind == 2:
        req = Req("benign-form", "contact form", "POST", "/contact")
        return _form(
            req,
            [
                ("name", g.name()),
                ("email", g.email()),
                ("subject", _clip(g.sentence(), 60)),
                ("message", g.pick([g.paragraph(), g.i18n(), g.fill(g.pick(BUSINESS))])),
            ],
            g,
        )
    req = Req("benign-form", "checkout form", "POST", "/checkout/address")
    return _form(
        req,
        [
            ("ship_name", g.name()),
            ("ship_address", g.address()),
            ("ship_city", g.pick(CITIES)),
            ("gift_message", g.emoticon_text()),
            ("delivery_notes", g.fill(g.pick(BUSINESS))),
        ],
        g,
    )


def build_multipart(g: Gen) -> Req:
    boundary = f"----WebKitFormBoundary{_b64url(g.r.randbytes(12))[:16]}"
    name = g.filename()
    ctype, content = g.blob()
    if name.endswith((".txt", ".csv")):
        ctype, content = (
            ("text/csv", g.csv_line().encode()) if name.endswith(".csv") else ("text/plain", g.paragraph().encode())
        )
    parts = [
        (f'Content-Disposition: form-data; name="description"\r\n\r\n{g.sentence()}').encode(),
        (
            'Content-Disposition: form-data; name="folder"\r\n\r\n'
            + g.pick(["Invoices 2024", "Photos/Holiday", "Shared"])
        ).encode(),
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
        + content,
    ]
    body = b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode()
    req = Req("benign-multipart", f"upload of {ctype}", "POST", f"/api/files?folder_id={g.r.randrange(999)}")
    req.headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    req.body = body
    return req


def build_tokens(g: Gen) -> Req:
    if g.chance(0.3):
        req = Req("benign-tokens", "ids in a query", "GET", f"/api/sessions/{g.uuid()}")
        req.uri = _query(req.uri, [("token", g.token_value()), ("etag", g.hexstr(32)), ("v", g.version())], g)
        return req
    ctype, blob = g.blob()
    req = Req("benign-tokens", "ids, tokens and blobs", "POST", "/api/devices/register")
    return _json(
        req,
        {
            "device_id": g.uuid(),
            "push_token": g.token_value(),
            "id_token": g.jwt(),
            "app_version": g.version(),
            "dependencies": {g.pick(PACKAGES): g.version_spec() for _ in range(g.r.randrange(1, 4))},
            "checksum": g.hexstr(64),
            "attachment": {"content_type": ctype, "data": base64.b64encode(blob).decode()},
            "trace": [g.token_value() for _ in range(g.r.randrange(1, 4))],
        },
        g,
    )


def build_product(g: Gen) -> Req:
    req = Req("benign-product", "product with measurements", g.pick(["POST", "PUT"]), f"/api/catalog/items/{_id(g)}")
    return _json(
        req,
        {
            "title": g.pick(PRODUCTS),
            "description": f"{g.pick(PRODUCTS)}. {g.sentence()} "
            f"Fits anyone from {g.pick(HEIGHTS)} to {g.pick(HEIGHTS)}.",
            "price": g.money(),
            "dimensions": g.pick(
                ['24"W x 18"D x 30"H', "60 × 40 × 2 cm", '8.5" x 11"', "Ø 25 mm, ±0.5 mm", "3/4\" x 6'"]
            ),
            "variants": [
                {
                    "size": g.pick(["S", "M", "L", "XL", "7 ½", '32"']),
                    "sku": f"{g.pick(WORDS)[:3].upper()}-{g.r.randrange(10**4)}",
                }
                for _ in range(2)
            ],
            "discount": g.pick(["-15%", "20% off", "2 for 1", "buy 2, get 1 free", "none"]),
        },
        g,
    )


def build_math(g: Gen) -> Req:
    expr = g.pick(MATH)
    text = g.pick(
        [expr, f"Quick question: why is {expr}?", f"My notes say {expr} — can someone confirm?", f"Hint: {expr}."]
    )
    if g.chance(0.3):
        req = Req("benign-math", "formula in a query", "GET", "/api/calc/explain")
        req.uri = _query(req.uri, [("expr", expr)], g)
        return req
    req = Req("benign-math", "math in a homework post", "POST", "/api/homework/questions")
    return _json(
        req,
        {"subject": g.pick(["Algebra", "Statistics", "Physics"]), "question": text, "grade": g.r.randrange(6, 13)},
        g,
    )


def build_emoji(g: Gen) -> Req:
    req = Req("benign-emoji", "chat with emoticons", "POST", f"/api/rooms/{g.pick(WORDS)}/messages")
    return _json(
        req,
        {
            "text": g.emoticon_text(),
            "reactions": g.r.sample(EMOTICONS, 3),
            "reply_to": g.uuid() if g.chance(0.3) else None,
        },
        g,
    )


def build_csv(g: Gen) -> Req:
    if g.chance(0.4):
        req = Req("benign-csv", "CSV import body", "POST", "/api/imports/contacts")
        req.headers["Content-Type"] = "text/csv; charset=utf-8"
        req.body = g.csv_line().encode()
        return req
    req = Req("benign-csv", "CSV text in JSON", "POST", "/api/imports")
    return _json(req, {"format": "csv", "delimiter": ",", "data": g.csv_line(), "has_header": True}, g)


def build_files(g: Gen) -> Req:
    name = g.filename()
    req = Req("benign-files", "file metadata with local paths", "POST", "/api/sync/files")
    ctype, blob = g.blob()
    return _json(
        req,
        {
            "name": name,
            "local_path": g.local_path(name),
            "size": g.r.randrange(100, 10**8),
            "modified": g.date(),
            "mime_type": ctype,
            "thumbnail": base64.b64encode(blob[:120]).decode() if g.chance(0.5) else None,
        },
        g,
    )


def build_headers(g: Gen) -> Req:
    req = Req(
        "benign-headers",
        "page fetch with browser headers and cookies",
        "GET",
        g.pick(["/api/me", "/api/cart", "/api/recommendations"]),
    )
    req.headers["Referer"] = g.pick(
        [
            f"https://www.google.com/search?q={quote(g.pick(SEARCH_TERMS))}&hl=de&source=hp",
            g.url(),
            f"https://shop.example.com/checkout?step=2&coupon=SPRING-{g.r.randrange(99)}",
            "https://t.co/" + _b64url(g.r.randbytes(7)),
        ]
    )
    req.headers["Cookie"] = "; ".join(
        g.r.sample(
            [
                f"_ga=GA1.1.{g.r.randrange(10**9)}.{1_700_000_000 + g.r.randrange(10**7)}",
                f"_gid=GA1.2.{g.r.randrange(10**9)}.{1_700_000_000 + g.r.randrange(10**7)}",
                f"sessionid={g.hexstr(32)}",
                f"csrftoken={_b64url(g.r.randbytes(24))}",
                f"theme={g.pick(['dark', 'light'])}",
                f"lang={g.pick(['de-DE', 'fr', 'pt-BR'])}",
                f"cart={quote(json.dumps({'items': g.r.randrange(1, 9), 'currency': 'EUR'}))}",
                "OptanonConsent=isGpcEnabled=0&datestamp=Tue+Mar+05+2024+14%3A30%3A00+GMT%2B0100&version=202310.1.0"
                "&groups=C0001%3A1%2CC0002%3A0",
                f"recently_viewed={'%2C'.join(str(g.r.randrange(10**5)) for _ in range(4))}",
                f"last_search={quote(g.pick(SEARCH_TERMS))}",
                f"user_name={quote(g.name())}",
                "session="
                + _b64url(json.dumps({"csrf_token": g.hexstr(40), "_fresh": True}).encode())
                + f".{_b64url(g.r.randbytes(4))}.{_b64url(g.r.randbytes(20))}",
                "express:sess=" + base64.b64encode(json.dumps({"passport": {"user": g.uuid()}}).encode()).decode(),
                f"_shop_session={quote(base64.b64encode(g.r.randbytes(48)).decode())}--{g.hexstr(40)}",
                f"ajs_user_id={quote(json.dumps(g.uuid()))}",
                f"ajs_anonymous_id=%22{g.uuid()}%22",
                f"mp_{g.hexstr(32)}_mixpanel="
                + quote(json.dumps({"distinct_id": g.uuid(), "$initial_referrer": "$direct"})),
                f"_fbp=fb.1.{1_700_000_000_000 + g.r.randrange(10**9)}.{g.r.randrange(10**9)}",
                "AMP_TOKEN=%24NOT_FOUND",
                f".AspNetCore.Antiforgery.{_b64url(g.r.randbytes(8))}=CfDJ8{_b64url(g.r.randbytes(60))}",
                f"intercom-session-{g.hexstr(8)}={quote(base64.b64encode(g.r.randbytes(30)).decode())}",
            ],
            g.r.randrange(2, 6),
        )
    )
    req.headers["If-None-Match"] = f'W/"{g.hexstr(16)}"'
    req.headers["X-Request-ID"] = g.uuid()
    req.headers["traceparent"] = f"00-{g.hexstr(32)}-{g.hexstr(16)}-01"
    return req


def build_querylang(g: Gen) -> Req:
    lang, text = g.pick(QUERYLANG)
    if lang == "graphql":
        req = Req("benign-querylang", "GraphQL request", "POST", "/graphql")
        return _json(
            req, {"query": text, "variables": {"id": g.uuid(), "sku": "SKU-1", "qty": 1}, "operationName": None}, g
        )
    if lang == "loopback":
        return Req("benign-querylang", "JSON filter in a query", "GET", f"/api/products?filter={quote(text)}")
    if lang == "odata":
        return Req("benign-querylang", "OData query", "GET", f"/odata/Products?{quote(text, safe='=&$,()')}")
    req = Req("benign-querylang", f"{lang} expression", "POST", "/api/saved-searches")
    return _json(req, {"name": _clip(g.sentence(), 40), "language": lang, "expression": text}, g)


def build_code(g: Gen) -> Req:
    pools = {lang: list(snippets) for lang, snippets in CODE_SNIPPETS.items()}
    for lang, snippets in g.t.code.items():
        key = "python" if lang in {"doctest", "python"} else lang
        if key in pools:
            pools[key] += snippets
    lang = g.pick(sorted(pools))
    snippet = g.pick(pools[lang])
    fence = {"doctest": "pycon"}.get(lang, lang)
    body = g.pick(
        [
            f"{g.doc_sentence()}\n\n```{fence}\n{snippet}\n```\n\n{g.doc_sentence()}",
            f"I tried this:\n\n```{fence}\n{snippet}\n```\n\nbut it doesn't work. Any idea?",
            f"{g.doc_paragraph()}\n\n    " + snippet.replace("\n", "\n    "),
        ]
    )
    req = Req(f"benign-code-{lang}", f"post with {lang} code", "POST", f"/api/questions/{_id(g)}/answers")
    return _json(req, {"body_markdown": body, "author": g.name(), "accepted": g.chance(0.2)}, g)


# (builder, weight): the category mix. Code posts are ~8 % of the rows; query languages ~2 %.
BUILDERS: list[tuple[Callable[[Gen], Req], int]] = [
    (build_prose, 1400),
    (build_techprose, 600),
    (build_legal, 200),
    (build_ui, 700),
    (build_changelog, 400),
    (build_techdocs, 400),
    (build_support, 500),
    (build_i18n, 1300),
    (build_profile, 900),
    (build_business, 800),
    (build_markdown, 700),
    (build_query, 1400),
    (build_form, 600),
    (build_multipart, 300),
    (build_tokens, 600),
    (build_product, 500),
    (build_math, 250),
    (build_emoji, 350),
    (build_csv, 250),
    (build_files, 400),
    (build_headers, 500),
    (build_querylang, 300),
    (build_richtext, 500),
    (build_template, 200),
    (build_xml, 400),
    (build_webhook, 400),
    (build_paths, 400),
    (build_sysadmin, 250),
    (build_data, 400),
    (build_readme_upload, 120),
    (build_json_patch, 250),
    (build_nested_form, 200),
    (build_schema, 250),
    (build_sso, 200),
    (build_code, 1200),
]


def _base_headers(g: Gen) -> dict[str, str]:
    headers = {
        "Host": g.pick(["api.example.com", "shop.example.de", "app.example.io"]),
        "User-Agent": g.pick(UAS),
        "Accept": g.pick(
            ["application/json", "*/*", "application/json, text/plain, */*", "text/html,application/xhtml+xml"]
        ),
        "Accept-Language": g.pick(ACCEPT_LANGUAGES),
        "Accept-Encoding": "gzip, deflate, br",
    }
    if g.chance(0.5):
        headers["Authorization"] = g.pick(
            [
                f"Bearer {g.jwt()}",
                f"Bearer {g.jwt()}",
                "Basic " + base64.b64encode(f"{g.email()}:{g.password()}".encode()).decode(),
                f"AWS4-HMAC-SHA256 Credential=AKIA{g.hexstr(16).upper()}/20240305/eu-west-1/s3/aws4_request, "
                f"SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={g.hexstr(64)}",
                f'Digest username="{_ascii(g.pick(FIRST_NAMES)) or "anna"}", realm="api", nonce="{g.hexstr(32)}", '
                f'uri="/api/orders", response="{g.hexstr(32)}", qop=auth, nc=00000001, cnonce="{g.hexstr(8)}"',
                f"Token token={g.hexstr(32)}",
            ]
        )
    if g.chance(0.05):
        headers["X-Hub-Signature-256"] = f"sha256={g.hexstr(64)}"
    if g.chance(0.05):
        headers["Stripe-Signature"] = f"t={1_700_000_000 + g.r.randrange(10**7)},v1={g.hexstr(64)},v0={g.hexstr(64)}"
    if g.chance(0.2):
        headers["X-Forwarded-For"] = (
            f"{g.r.randrange(1, 223)}.{g.r.randrange(256)}.{g.r.randrange(256)}.{g.r.randrange(1, 255)}"
        )
    if g.chance(0.15):
        headers["Referer"] = g.url()
    if "Chrome/" in headers["User-Agent"] and g.chance(0.6):
        brand = g.pick(['"Google Chrome";v="126"', '"Microsoft Edge";v="125"', '"Brave";v="126"'])
        headers["sec-ch-ua"] = f'"Not/A)Brand";v="8", "Chromium";v="126", {brand}'
        headers["sec-ch-ua-mobile"] = g.pick(["?0", "?1"])
        headers["sec-ch-ua-platform"] = g.pick(['"Windows"', '"macOS"', '"Android"', '"Linux"'])
        headers["Sec-Fetch-Site"] = g.pick(["same-origin", "same-site", "cross-site"])
        headers["Sec-Fetch-Mode"] = "cors"
        headers["Sec-Fetch-Dest"] = "empty"
        headers["Origin"] = g.pick(["https://www.example.com", "https://app.example.io", "https://shop.example.de"])
    if g.chance(0.1):
        headers["X-Requested-With"] = "XMLHttpRequest"
    if g.chance(0.1):
        headers["Idempotency-Key"] = g.uuid()
    if g.chance(0.1):
        headers["Cache-Control"] = g.pick(["no-cache", "max-age=0", "no-store, no-cache, must-revalidate"])
    if g.chance(0.05):
        headers["If-Modified-Since"] = "Tue, 05 Mar 2024 14:30:00 GMT"
    if g.chance(0.05):
        headers["Forwarded"] = f'for="[2001:db8:cafe::{g.r.randrange(1, 99)}]:4711";proto=https;by=203.0.113.43'
    if g.chance(0.05):
        headers["Via"] = "1.1 varnish (Varnish/7.4), 1.1 vegur"
    return headers


def make_rows(rows: int, texts: Texts, seed: int = SEED) -> Iterator[dict[str, object]]:
    """``rows`` corpus rows in the CRS-regression format."""
    g = Gen(seed, texts)
    builders = [b for b, _ in BUILDERS]
    weights = [w for _, w in BUILDERS]
    for index in range(rows):
        builder = g.r.choices(builders, weights)[0]
        headers = _base_headers(g)
        req = builder(g)
        headers.update(req.headers)
        yield {
            "id": f"holdout-{index:05d}",
            "source": "apiward benign hold-out corpus (scripts/make_holdout_corpus.py)",
            "category": req.category,
            "label": "benign",
            "desc": req.desc,
            "request": {
                "method": req.method,
                "uri": req.uri,
                "headers": headers,
                "body_b64": base64.b64encode(req.body).decode(),
            },
        }


def write_corpus(path: Path, rows: int, texts: Texts, seed: int = SEED) -> Counter[str]:
    """Write the corpus to ``path``; return the row count per category."""
    counts: Counter[str] = Counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in make_rows(rows, texts, seed):
            counts[str(row["category"])] += 1
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    return counts


README = """# Benign hold-out corpus

`benign.jsonl`: {rows} BENIGN API requests in the CRS-regression row format (label `benign`), generated by
`scripts/make_holdout_corpus.py` (seed {seed}; deterministic on a given machine). Built independently of the
engine's rules, to stand in for hidden corpora of realistic benign API traffic. Do not tune rules to single rows:
a rule that fires here at some paranoia level is too loose at that level.

## What it holds

Real human-written text found offline (snippets quoting attack payloads are dropped):
{sources}

Hand-written templates: everyday English (reviews, tickets, chat), SQL-ish business prose ("select the union
members who dropped out", "order by date desc in the report", "where is my order?"), 22 languages, names with
apostrophes and hyphens (O'Brien, D'Angelo, N'Golo, Mary-Kate, ʻIolani), addresses and phone numbers of many
countries, money, dates/times in many formats, markdown (tables, task lists, links, quotes, details), support text
with inline shell commands, product descriptions with measurements (5' 9", 8"x10", 1/2"), emoticons and emoji, math
(a < b && c > d, x => x*2), CSV, file names and local paths (C:\\Users\\…, /home/…: desktop sync clients send
them), tokens (UUIDs, ULIDs, JWTs, hashes, IBANs, semantic versions and version ranges), base64 of PNG, PDF,
protobuf, gzip and plain-text bytes, query strings (search, filters `filter[status]=open`, `sort=-created_at`,
`fields=a,b`, cursors, redirect URLs), form posts (logins with password-manager passwords, sign-ups, checkout),
multipart uploads, browser/mobile/SDK User-Agents, client hints, Accept-Language, Referer with query strings,
cookies, XML bodies (SOAP, RSS), payment webhooks with stringified JSON, JSON Patch, nested form keys, values in
URL path segments (/wiki/O%27Brien_(surname), /api/tags/.net/posts), settings fields (colours, WKT geometry, time
zones, RRULE, vCard, IPs, git refs, URIs of other schemes), full-width CJK punctuation (＜重要＞), documents with
`@`/`$` keywords (JSON-LD, JSON Schema `$ref`/`$defs`, MongoDB Extended JSON `$oid`/`$date`), single sign-on
callbacks (SAML POST binding with a base64 signed assertion, OpenID Connect form_post, OAuth authorize URLs).

Decisions: Windows and home-directory paths are included (sync and backup clients send them); passwords come from
passphrases, word+digits+symbol and password-manager alphabets (no quotes or brackets); code is kept to about 9 %
of the rows and labelled `benign-code-*`; snippets of real text that quote attack payloads are dropped.

## Categories and groups

Scored separately by `benchmarks/detect_precision.py`:
- **strict** — everyday prose and data values; must not be flagged at paranoia 1;
- **tech** (`benign-tech-*`) — real technical writing (README and docstring prose, man pages, Debian changelogs,
  licences) as developer platforms (issue trackers, wikis, Q&A) carry it;
- **markup** (`benign-richtext`, `benign-templates`) — HTML from rich-text editors and e-mail clients (paragraphs,
  links, images, tables, inline styles, Outlook `<o:p>`), message templates (`{{first_name}}`, `*|FNAME|*`,
  `{% if %}`, `<%= %>`);
- **querylang** (`benign-querylang`) — GraphQL documents, OData `$filter`, JQL, search syntax, spreadsheet
  formulas, Mongo-style and LoopBack JSON filters, JSONPath, regular expressions, PromQL/LogQL, cron;
- **code** (`benign-code-*`, about 9 % of rows) — developer posts with fenced or indented Python (incl.
  doctests), JavaScript, SQL, shell or HTML, package uploads carrying a whole README (`benign-code-readme`), and
  sysadmin answers quoting command lines and system paths inline
  (/etc/hosts, ~/.ssh, /var/log, `2>&1`, `curl … | sh` install lines: `benign-code-sysadmin`). These values carry
  the very tokens injections are made of; they are scored apart so that the cost of each rule on them is visible.

| category | rows | group |
|---|---:|---|
{table}

## Use

    .venv/bin/apiward detect eval /tmp/holdout/benign.jsonl --worst 50
    .venv/bin/python benchmarks/detect_precision.py            # TNR per category and PL, rules that fire
    .venv/bin/python benchmarks/detect_precision.py --paranoia 1,2 --baseline HEAD   # what uncommitted rules change
    .venv/bin/python benchmarks/detect_precision.py --paranoia 1 --list strict         # every flagged everyday row
    .venv/bin/python scripts/make_holdout_corpus.py            # rebuild

<!-- figures -->
"""


GROUPS = ("strict", "tech", "markup", "querylang", "code")


def group_of(category: str) -> str:
    if category.startswith("benign-code"):
        return "code"
    if category.startswith("benign-tech"):
        return "tech"
    if category in {"benign-richtext", "benign-templates"}:
        return "markup"
    return "querylang" if category == "benign-querylang" else "strict"


def write_readme(path: Path, counts: Counter[str], texts: Texts) -> None:
    """The corpus description (figures are appended by ``benchmarks/detect_precision.py --readme``)."""
    labels = {
        "metadata": "package READMEs (*.dist-info/METADATA) — prose paragraphs and code blocks",
        "docstring": "docstrings of the Python standard library",
        "changelog": "Debian changelog items (/usr/share/doc/*/changelog*.gz)",
        "licence": "licence and copyright texts (/usr/share/common-licenses, /usr/share/doc/*/copyright)",
        "man": "man pages, section 1, as plain text (English and 15 translations)",
        "doc-readme": "README, NEWS and FAQ files of the installed Debian packages (/usr/share/doc/*/)",
        "ui": "translated UI messages from gettext catalogs (/usr/share/locale, 27 languages) and country names",
        "cjk": "Chinese, Japanese and Korean sample texts of the stdlib tests (test/cjkencodings)",
    }
    sources = "\n".join(f"- {labels.get(k, k)}: {v:,} snippets" for k, v in sorted(texts.sources.items()))
    sources += "\n- code blocks: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(texts.code.items()))
    table = "\n".join(f"| {c} | {n} | {group_of(c)} |" for c, n in sorted(counts.items()))
    text = README
    if path.exists():  # keep the figures written by the precision benchmark until it writes new ones
        text += path.read_text(encoding="utf-8").partition("<!-- figures -->")[2].lstrip("\n")
    for key, value in {
        "rows": f"{sum(counts.values()):,}",
        "seed": str(SEED),
        "sources": sources,
        "table": table,
    }.items():
        text = text.replace("{" + key + "}", value)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    texts = load_texts()
    counts = write_corpus(args.out / "benign.jsonl", args.rows, texts)
    write_readme(args.out / "README.md", counts, texts)
    where = args.out / "benign.jsonl"
    print(f"wrote {sum(counts.values())} rows to {where}; real-text snippets: {dict(texts.sources)}")  # noqa: T201
    for category, count in sorted(counts.items()):
        print(f"  {category:28} {count:6}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
