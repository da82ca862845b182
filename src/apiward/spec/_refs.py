"""``$ref`` resolution: local, cross-file (relative paths) and http(s) documents, recursive schemas as real cycles.

:meth:`Resolver.resolve` returns a copy of a node in which every ``$ref`` is replaced by its (resolved)
target. Each target is resolved once and then shared, so the result is linear in the size of the
document and a recursive schema becomes a cycle between the same dict objects. The walk is iterative:
deep documents cannot exhaust the interpreter's stack.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from apiward.core import SpecError, redact_url
from apiward.spec import _pointer
from apiward.spec._source import fetch, parse

__all__ = ["Document", "Resolver", "is_reference"]

#: Keys whose values are literal data (never contain references), when they appear as keywords.
_LITERAL_KEYS = frozenset({"example", "enum", "const", "default"})
#: Keys whose values map free-form names to objects: inside them, no key is a keyword.
_NAME_MAP_KEYS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "parameters",
        "responses",
        "headers",
        "requestBodies",
        "securitySchemes",
        "securityDefinitions",
        "links",
        "callbacks",
        "pathItems",
        "content",
        "encoding",
        "variables",
        "paths",
        "webhooks",
        "examples",
    }
)
#: Siblings of ``$ref`` that do not change what it means (OpenAPI 3.1 Reference Object).
_ANNOTATIONS = frozenset({"$ref", "description", "summary"})


@dataclass(slots=True)
class Document:
    """One parsed file or URL: its absolute URI, the name shown in messages, and its content."""

    uri: str
    display: str
    root: Any


def is_reference(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


class Resolver:
    """Follows and resolves ``$ref``s starting from one root document; caches fetched documents."""

    def __init__(self, root: Document, *, allow_remote: bool = True) -> None:
        self.root = root
        self._allow_remote = allow_remote
        self._documents: dict[str, Document] = {root.uri: root}
        self._memo: dict[tuple[str, str], Any] = {}
        #: Copies by source object: a YAML alias (the same object twice) is copied once, so a document
        #: full of nested aliases ("billion laughs") costs the size of its text, not of its expansion.
        self._copies: dict[tuple[int, bool], Any] = {}
        self._synthetic: list[Any] = []  # merged $ref siblings, kept alive so their id() stays unique

    # -- following one reference ---------------------------------------------------------------------
    def follow(self, node: Any, doc: Document, pointer: str) -> tuple[Any, Document, str]:
        """When ``node`` is a Reference Object, its final target (through chains of references)."""
        seen: set[tuple[str, str]] = set()
        while is_reference(node):
            ref: str = node["$ref"]
            target_doc, target_pointer = self._locate(ref, doc, pointer)
            key = (target_doc.uri, target_pointer)
            if key in seen:
                raise SpecError(f"$ref {ref!r} is a loop of references", source=doc.display, pointer=f"{pointer}/$ref")
            seen.add(key)
            try:
                node = _pointer.lookup(target_doc.root, target_pointer)
            except KeyError as exc:
                where = "" if target_doc is doc else f" in {target_doc.display}"
                message = f"$ref {ref!r} cannot be resolved: {exc.args[0]!r} not found{where}"
                raise SpecError(message, source=doc.display, pointer=f"{pointer}/$ref") from None
            doc, pointer = target_doc, target_pointer
            if is_reference(node) and not node.keys() <= _ANNOTATIONS:
                break  # a schema that adds keywords beside its $ref: resolve() merges them
        return node, doc, pointer

    def _locate(self, ref: str, doc: Document, pointer: str) -> tuple[Document, str]:
        if ref.startswith("#/") and "%" not in ref:  # the common case, without URI parsing
            return doc, ref[1:]
        absolute, fragment = urldefrag(urljoin(doc.uri, ref))
        if fragment and not fragment.startswith("/"):
            message = f"$ref {ref!r}: only JSON-pointer fragments are supported (not anchors)"
            raise SpecError(message, source=doc.display, pointer=f"{pointer}/$ref")
        return self._document(absolute, ref, doc, pointer), _pointer.from_fragment(fragment)

    def _document(self, uri: str, ref: str, referrer: Document, pointer: str) -> Document:
        found = self._documents.get(uri)
        if found is not None:
            return found
        scheme = urlsplit(uri).scheme
        where = {"source": referrer.display, "pointer": f"{pointer}/$ref"}
        if scheme in ("http", "https"):
            if not self._allow_remote:
                raise SpecError(f"$ref {ref!r} points to a remote document and remote references are off", **where)
            display = redact_url(uri)
        elif scheme == "file":
            if urlsplit(referrer.uri).scheme != "file":
                raise SpecError(f"$ref {ref!r}: a remote document may not reference local files", **where)
            display = _display_path(Path(unquote(urlsplit(uri).path)))
        else:
            raise SpecError(f"$ref {ref!r}: unsupported URI scheme {scheme!r}", **where)
        try:
            parsed = parse(fetch(uri, display=display))
        except SpecError as exc:
            raise SpecError(f"$ref {ref!r}: {exc}", **where) from exc
        document = Document(uri=uri, display=display, root=parsed)
        self._documents[uri] = document
        return document

    # -- resolving a whole subtree -------------------------------------------------------------------
    def resolve(self, node: Any, doc: Document, pointer: str, *, names: bool = False) -> Any:
        """``node`` with every ``$ref`` below it replaced by its resolved target; cycles stay cycles.

        ``names`` says that ``node`` maps free-form names to objects (e.g. ``properties``).
        """
        key = (doc.uri, pointer)
        if key in self._memo:
            return self._memo[key]
        stack: list[tuple[Any, Any, Document, str, bool]] = []
        result = self._enter(node, doc, pointer, names, stack)
        if isinstance(result, dict | list) and not is_reference(node):
            self._memo[key] = result
        while stack:
            src, dst, sdoc, sptr, snames = stack.pop()
            if isinstance(src, dict):
                for k, v in src.items():
                    if not isinstance(v, dict | list):
                        dst[k] = v  # scalars are shared as they are
                    elif not snames and (k in _LITERAL_KEYS or (isinstance(k, str) and k.startswith("x-"))):
                        dst[k] = v
                    elif k == "examples" and not snames and isinstance(v, list):
                        dst[k] = v
                    else:
                        child = f"{sptr}/{_pointer.escape(str(k))}"
                        dst[k] = self._enter(v, sdoc, child, not snames and k in _NAME_MAP_KEYS, stack)
            else:
                for i, v in enumerate(src):
                    dst[i] = self._enter(v, sdoc, f"{sptr}/{i}", False, stack) if isinstance(v, dict | list) else v
        return result

    def _enter(self, node: Any, doc: Document, pointer: str, names: bool, stack: list[Any]) -> Any:
        """The (possibly still empty) container standing for ``node``; schedules filling it."""
        if not isinstance(node, dict | list):
            return node
        copy = self._copies.get((id(node), names))
        if copy is not None:
            return copy
        if isinstance(node, list):
            out_list: list[Any] = [None] * len(node)
            self._copies[(id(node), False)] = out_list
            stack.append((node, out_list, doc, pointer, False))
            return out_list
        if not names and is_reference(node):
            if not node.keys() <= _ANNOTATIONS:
                merged = _merge_siblings(node)
                self._synthetic.append(merged)
                out = self._enter(merged, doc, pointer, False, stack)
                self._copies[(id(node), False)] = out
                return out
            target, tdoc, tptr = self.follow(node, doc, pointer)
            key = (tdoc.uri, tptr)
            if key in self._memo:
                return self._memo[key]
            if is_reference(target):
                target = _merge_siblings(target)
                self._synthetic.append(target)
            out = self._enter(target, tdoc, tptr, False, stack)
            self._memo[key] = out
            return out
        out_dict: dict[Any, Any] = {}
        self._copies[(id(node), names)] = out_dict
        stack.append((node, out_dict, doc, pointer, names))
        return out_dict


def _merge_siblings(node: dict[str, Any]) -> dict[str, Any]:
    """A schema with keywords beside its ``$ref`` (OpenAPI 3.1) as ``{keywords..., allOf: [{$ref}, ...]}``."""
    merged = {k: v for k, v in node.items() if k != "$ref"}
    merged["allOf"] = [{"$ref": node["$ref"]}, *(merged.get("allOf") or [])]
    return merged


def _display_path(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative
