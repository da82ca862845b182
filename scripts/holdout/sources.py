"""Readers of the real text found offline on this machine; each fills a :class:`~holdout.texts.Texts`.

Sources are read in sorted order with fixed limits, so the pools are the same on every run on a given machine.
"""

from __future__ import annotations

import ast
import gettext
import gzip
import re
import sysconfig
from pathlib import Path

from holdout.texts import PAYLOAD_MARKERS, PRINTF, Texts, markdown_parts

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
STDLIB = Path(sysconfig.get_paths()["stdlib"])
DOC_DIR = Path("/usr/share/doc")
LICENSES_DIR = Path("/usr/share/common-licenses")
MAN_DIR = Path("/usr/share/man/man1")
LOCALE_DIR = Path("/usr/share/locale")


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
        markdown_parts(raw, texts, "doc-readme")


def _read_metadata(texts: Texts) -> None:
    for path in sorted(SITE_PACKAGES.glob("*.dist-info/METADATA")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        _, _, body = raw.partition("\n\n")
        markdown_parts(body, texts, "metadata")
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


UI_LANGUAGES = """de fr es pt_BR pt it nl sv da pl cs tr ru uk el ar he fa hi zh_CN zh_TW ja ko vi th id""".split()

UI_DOMAINS = """gtk20 glib20 PackageKit appstream software-properties xdg-user-dirs gsettings-desktop-schemas
shared-mime-info avahi gstreamer-1.0 gdk-pixbuf at-spi2-core adduser""".split()


def _catalog(path: Path) -> dict[str, str]:
    try:
        with path.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    except (OSError, UnicodeDecodeError, ValueError, KeyError):
        return {}
    return {str(k): str(v) for k, v in catalog.items() if isinstance(k, str) and k and isinstance(v, str)}


def _ui_message(text: str) -> str | None:
    text = re.sub(r"_(?=\w)", "", text.split("\x04")[-1]).strip()
    if not 6 <= len(text) <= 300 or len(PRINTF.findall(text)) > 2 or "%" in PRINTF.sub("", text):
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
