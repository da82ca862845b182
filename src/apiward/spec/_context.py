"""Where a node sits (document + JSON pointer) and the small typed readers that report errors there."""

from __future__ import annotations

import contextlib
import datetime
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from apiward.core import SpecError
from apiward.spec._frozen import FrozenDict
from apiward.spec._pointer import escape
from apiward.spec._refs import Document, Resolver

__all__ = ["METHODS", "Loc", "Reader", "check_path", "default_style", "kind_of", "one_line_errors", "readonly"]

#: Operation keys of a Path Item, in the order operations are listed in the model.
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


_TEMPLATE = re.compile(r"(?:[^{}]|\{[^{}/]+\})*")


def _printable(text: str | None) -> str | None:
    if text is None or text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@contextlib.contextmanager
def one_line_errors() -> Iterator[None]:
    """Re-raise a ``SpecError`` whose file, pointer or message holds control characters (a key with a
    newline, say) with those characters escaped: an error is always one printable line."""
    try:
        yield
    except SpecError as exc:
        parts = (exc.message, exc.source, exc.pointer)
        if all(p is None or p.isprintable() for p in parts):
            raise
        message = _printable(exc.message) or ""
        raise SpecError(message, source=_printable(exc.source), pointer=_printable(exc.pointer)) from exc


def check_path(path: Any, loc: Loc) -> str:
    """A Paths key: starts with ``/``, its braces balanced, not nested and not empty."""
    if not isinstance(path, str) or not path.startswith("/"):
        raise loc.error(f"a path must start with '/', not {path!r}")
    if not _TEMPLATE.fullmatch(path):
        raise loc.error(f"path template {path!r} has an unbalanced, nested or empty '{{...}}'")
    return path  # a name may appear twice (Azure: ".../System.{location}/.../{location}"): the router keeps the last


def default_style(location: str, style: str | None, explode: bool | None) -> tuple[str, bool]:
    """The effective ``(style, explode)`` of a parameter (OpenAPI 3: ``form`` for query and cookie,
    ``simple`` for path and header; ``explode`` defaults to true only for ``form``)."""
    if style is None:
        style = "form" if location in ("query", "cookie") else "simple"
    if explode is None:
        explode = style == "form"
    return style, explode


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def readonly(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return FrozenDict(mapping)


@dataclass(frozen=True, slots=True)
class Loc:
    """A place in a document: ``Loc(doc, "/paths/~1pets/get")``."""

    doc: Document
    pointer: str

    def at(self, *tokens: str | int) -> Loc:
        pointer = self.pointer
        for token in tokens:
            pointer = f"{pointer}/{escape(str(token))}"
        return Loc(self.doc, pointer)

    def error(self, message: str) -> SpecError:
        return SpecError(message, source=self.doc.display, pointer=self.pointer or "/")


class Reader:
    """Typed field access with errors that name the file and pointer; follows and resolves ``$ref``s."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def follow(self, node: Any, loc: Loc) -> tuple[Any, Loc]:
        target, doc, pointer = self.resolver.follow(node, loc.doc, loc.pointer)
        return target, Loc(doc, pointer)

    def schema(self, node: Any, loc: Loc) -> Mapping[str, Any]:
        """A resolved schema (``true`` -> ``{}``, ``false`` -> ``{"not": {}}``)."""
        if isinstance(node, bool):
            return {} if node else {"not": {}}
        if not isinstance(node, dict):
            raise loc.error(f"a schema must be an object, not {kind_of(node)}")
        resolved = self.resolver.resolve(node, loc.doc, loc.pointer)
        if isinstance(resolved, bool):
            return {} if resolved else {"not": {}}
        if not isinstance(resolved, dict):
            raise loc.error(f"a schema must be an object, not {kind_of(resolved)}")
        return resolved

    def resolved(self, node: Any, loc: Loc, *, names: bool = False) -> Any:
        return self.resolver.resolve(node, loc.doc, loc.pointer, names=names)

    @staticmethod
    def obj(node: Any, loc: Loc, what: str = "") -> dict[str, Any]:
        if not isinstance(node, dict):
            label = f"{what} " if what else ""
            raise loc.error(f"{label}must be an object, not {kind_of(node)}")
        return node

    def field_obj(self, node: Mapping[str, Any], key: str, loc: Loc, *, required: bool = False) -> dict[str, Any]:
        if key not in node or node[key] is None:
            if required:
                raise loc.error(f"'{key}' is required")
            return {}
        value = node[key]
        if not isinstance(value, dict):
            raise loc.at(key).error(f"'{key}' must be an object, not {kind_of(value)}")
        return value

    @staticmethod
    def field_list(node: Mapping[str, Any], key: str, loc: Loc) -> list[Any]:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise loc.at(key).error(f"'{key}' must be a list, not {kind_of(value)}")
        return value

    @staticmethod
    def text(node: Mapping[str, Any], key: str, loc: Loc, *, required: bool = False) -> str | None:
        value = node.get(key)
        if value is None:
            if required:
                raise loc.error(f"'{key}' is required")
            return None
        if isinstance(value, datetime.date):  # YAML reads an unquoted `version: 2024-01-31` as a date
            return value.isoformat()
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise loc.at(key).error(f"'{key}' must be a string, not {kind_of(value)}")
        return str(value)

    @staticmethod
    def required_text(node: Mapping[str, Any], key: str, loc: Loc) -> str:
        value = Reader.text(node, key, loc, required=True)
        assert value is not None  # noqa: S101 - text(required=True) never returns None
        return value

    @staticmethod
    def flag(node: Mapping[str, Any], key: str, loc: Loc, default: bool = False) -> bool:
        value = node.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise loc.at(key).error(f"'{key}' must be true or false, not {kind_of(value)}")
        return value

    @staticmethod
    def choice(node: Mapping[str, Any], key: str, loc: Loc, allowed: tuple[str, ...]) -> str:
        value = Reader.required_text(node, key, loc)
        if value not in allowed:
            close = difflib.get_close_matches(value, allowed, n=1) or [a for a in allowed if a.lower() == value.lower()]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise loc.at(key).error(f"'{key}' must be one of {', '.join(allowed)}, not {value!r}{hint}")
        return value

    @staticmethod
    def extensions(node: Mapping[str, Any]) -> Mapping[str, Any]:
        return readonly({k: v for k, v in node.items() if isinstance(k, str) and k.startswith("x-")})

    @staticmethod
    def tags(node: Mapping[str, Any], loc: Loc) -> tuple[str, ...]:
        tags = Reader.field_list(node, "tags", loc)
        for i, tag in enumerate(tags):
            if not isinstance(tag, str):
                raise loc.at("tags", i).error(f"a tag must be a string, not {kind_of(tag)}")
        return tuple(tags)
