"""Line numbers for findings: map the JSON pointers rules report to lines of the local source file.

Code-scanning UIs place a SARIF result on a line; the model keeps only pointers, so this re-reads the
description with PyYAML's composer (JSON is YAML), which keeps each node's position. Remote and very
large descriptions are left without lines: composing a 10 MB JSON file in pure Python costs more
than a line number is worth.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType

import yaml

from apiward.core import Finding

__all__ = ["MAX_BYTES", "with_lines"]

MAX_BYTES = 2_000_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _esc(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _index(text: str) -> dict[str, int]:
    """JSON pointer -> 1-based line of the key (or item) that starts it."""
    root = yaml.compose(text, Loader=_Loader)
    lines: dict[str, int] = {}
    if root is None:
        return lines
    seen: set[int] = set()  # aliases share nodes: visit each once (no alias-bomb blow-up)
    stack: list[tuple[str, yaml.Node]] = [("", root)]
    while stack:
        pointer, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = f"{pointer}/{_esc(str(key.value))}"
                lines.setdefault(child, key.start_mark.line + 1)
                stack.append((child, value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                child = f"{pointer}/{i}"
                lines.setdefault(child, item.start_mark.line + 1)
                stack.append((child, item))
    return lines


def _line(lines: dict[str, int], pointer: str) -> int | None:
    while pointer:
        if pointer in lines:
            return lines[pointer]
        pointer = pointer.rsplit("/", 1)[0]
    return None


def with_lines(findings: Iterable[Finding], source: str) -> list[Finding]:
    """``findings`` with ``evidence["line"]`` set from their ``evidence["pointer"]`` when ``source`` is a
    local YAML/JSON file of at most :data:`MAX_BYTES`; unchanged otherwise (and on any read/parse problem).
    """
    items = list(findings)
    path = Path(source)
    try:
        if "://" in source or path.suffix == ".gz" or path.stat().st_size > MAX_BYTES:
            return items
        lines = _index(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return items  # line numbers are a convenience; the loader already reported real problems
    out = []
    for f in items:
        pointer = f.evidence.get("pointer")
        line = _line(lines, pointer) if isinstance(pointer, str) else None
        if line is None:
            out.append(f)
        else:
            out.append(dataclasses.replace(f, evidence=MappingProxyType({**f.evidence, "line": line})))
    return out
