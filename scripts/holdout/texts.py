"""Pools of real text by shape, and how a document becomes pool entries: prose paragraphs and sentences, code
snippets by language. Snippets that quote an attack payload are dropped here, whatever the source."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field

# Texts that quote an attack payload are not benign traffic; they are dropped from the real-text pools.
PAYLOAD_MARKERS = re.compile(
    r"<\s*script|javascript:|vbscript:|\bon(?:error|load|click|mouseover)\s*=|<!ENTITY|<!DOCTYPE|SYSTEM\s+\"|"
    r"/etc/(?:passwd|shadow)|\.\./\.\.|\.\.\\|\b1\s*=\s*1\b|'\s*or\s*'|\bunion\s+(?:all\s+)?select\b|"
    r"\$\{jndi|<\?php|\balert\s*\(|document\.cookie|xp_cmdshell|waitfor\s+delay|<\s*iframe|<\s*svg|"
    r"base64_decode|\bcmd\.exe\b|\bexploit|\bpayload|\binjection\b|\bxss\b|billion laughs|\bxxe\b",
    re.IGNORECASE,
)

CODE_HINT = re.compile(r"^(?:\s{4,}\S|\t|>>> |\$ |# |```)|[{};]\s*$|\b(?:def|import|return|const|var|let)\b")

PRINTF = re.compile(r"%(?:\d+\$)?[-+ #0']*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t|L|I64)?[sdiuxXfgcpe]|%\([a-z_]+\)s|\{\d*\}")


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


def markdown_parts(text: str, texts: Texts, source: str) -> None:
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
                block = textwrap.dedent(block)
                texts.add_code(_guess_lang(block), block)
            continue
        if not line.strip():
            flush()
        elif not re.match(r"^\s*(?:#{1,6} |[=~^\-`*]{4,}\s*$)", line):
            para.append(line)
        i += 1
    flush()
