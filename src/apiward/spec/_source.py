"""Reading an API description: file (optionally gzip-compressed) or http(s) URL, parsed from JSON or YAML.

Syntax errors become one :class:`~apiward.core.SpecError` naming the file, line and column.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import orjson
import yaml

from apiward.core import SpecError

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_EXPANDED_NODES",
    "Fetched",
    "expanded_size",
    "fetch",
    "is_url",
    "parse",
    "path_to_uri",
]

#: Refuse descriptions larger than this (after decompression): a guard against a hostile URL or file.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
#: Refuse YAML whose aliases expand past this many nodes (the largest real descriptions have a few million).
MAX_EXPANDED_NODES = 20_000_000
#: Seconds for connect/read/write/pool when a description or a ``$ref`` target is fetched over http(s).
HTTP_TIMEOUT = 15.0

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = "tag:yaml.org,2002:bool"


class _YamlLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's safe loader with YAML 1.2 booleans: only ``true``/``false``.

    PyYAML follows YAML 1.1, where ``on``, ``off``, ``yes``, ``no``, ``y`` and ``n`` are booleans too: a
    property named ``on`` or ``enum: [yes, no]`` would silently become ``True``/``False``. OpenAPI
    descriptions are YAML 1.2, and so are the other tools that read them.

    Keys are text, as in JSON: a key written ``200`` or ``1.10`` becomes ``"200"`` / ``"1.10"`` exactly
    as written, so names of properties, responses and media types are always strings.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if all(isinstance(key, str) for key in mapping):
            return mapping
        written = {
            self.construct_object(key_node, deep=deep): key_node.value
            for key_node, _ in node.value
            if isinstance(key_node, yaml.ScalarNode)
        }
        return {key if isinstance(key, str) else written.get(key, key): value for key, value in mapping.items()}


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != _BOOL]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass(frozen=True, slots=True)
class Fetched:
    """The bytes of one document, with the name to show in messages."""

    data: bytes
    display: str
    name_hint: str  # path or URL path, used to guess the format from the suffix


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch(uri: str, *, display: str) -> Fetched:
    """Read ``uri`` (``file://`` or ``http(s)://``); decompress gzip transparently."""
    scheme = urlsplit(uri).scheme
    if scheme in ("http", "https"):
        data = _fetch_http(uri, display=display)
        hint = urlsplit(uri).path
    elif scheme == "file":
        path = Path(unquote(urlsplit(uri).path))
        hint = str(path)
        try:
            info = path.stat()
            if stat.S_ISDIR(info.st_mode):
                raise SpecError("is a directory, not a file", source=display)
            if not stat.S_ISREG(info.st_mode):  # a FIFO or device (/dev/zero) could be read forever
                raise SpecError("is not a regular file", source=display)
            if info.st_size > MAX_DOCUMENT_BYTES:
                raise SpecError(f"larger than {MAX_DOCUMENT_BYTES} bytes", source=display)
            data = path.read_bytes()
        except FileNotFoundError:
            raise SpecError("file not found", source=display) from None
        except IsADirectoryError:
            raise SpecError("is a directory, not a file", source=display) from None
        except OSError as exc:
            raise SpecError(f"cannot read: {exc.strerror or exc}", source=display) from exc
    else:
        raise SpecError(f"unsupported URI scheme {scheme!r} (use a file path or an http(s) URL)", source=display)
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise SpecError(f"corrupt gzip data: {exc}", source=display) from exc
        hint = hint.removesuffix(".gz")
    return Fetched(data=data, display=display, name_hint=hint)


def _gunzip(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        out = handle.read(MAX_DOCUMENT_BYTES + 1)
    if len(out) > MAX_DOCUMENT_BYTES:
        raise OSError(f"decompresses to more than {MAX_DOCUMENT_BYTES} bytes")
    return out


def _fetch_http(url: str, *, display: str) -> bytes:
    import httpx  # imported on first use: most loads read files, and httpx takes a tenth of a second to import

    try:
        with (
            httpx.Client(timeout=HTTP_TIMEOUT, follow_redirects=True, trust_env=False) as client,
            client.stream("GET", url, headers={"Accept": "application/json, application/yaml, */*"}) as response,
        ):
            if response.status_code != 200:
                raise SpecError(f"HTTP {response.status_code} when fetching the description", source=display)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_DOCUMENT_BYTES:
                    raise SpecError(f"larger than {MAX_DOCUMENT_BYTES} bytes", source=display)
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise SpecError(f"cannot fetch: {type(exc).__name__}: {exc}", source=display) from exc


def parse(fetched: Fetched) -> Any:
    """Parse JSON (orjson) or YAML (libyaml's CSafeLoader when available) into plain Python objects."""
    data = fetched.data
    stripped = data.lstrip()
    if stripped[:3] == b"\xef\xbb\xbf":
        stripped = stripped[3:].lstrip()
    looks_json = fetched.name_hint.lower().endswith(".json") or stripped[:1] in (b"{", b"[")
    if looks_json:
        try:
            return orjson.loads(stripped)
        except orjson.JSONDecodeError:
            pass  # stdlib json gives the same answer slower, but accepts big integers and names the position
        try:
            return json.loads(stripped.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise SpecError(f"not UTF-8 text (invalid byte at offset {exc.start})", source=fetched.display) from exc
        except json.JSONDecodeError as exc:
            if fetched.name_hint.lower().endswith(".json"):
                message = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
                raise SpecError(message, source=fetched.display) from exc
            # a YAML flow mapping also starts with "{": fall through to YAML
    try:
        document = yaml.load(data, Loader=_YamlLoader)  # noqa: S506 - a SafeLoader (CSafeLoader when available)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "syntax error"
        raise SpecError(f"invalid YAML{where}: {problem}", source=fetched.display) from exc
    except yaml.reader.ReaderError as exc:
        message = f"invalid YAML: {exc.reason} (character {exc.character!r} at offset {exc.position})"
        raise SpecError(message, source=fetched.display) from exc
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {' '.join(str(exc).split())}", source=fetched.display) from exc
    except UnicodeDecodeError as exc:
        raise SpecError(f"not UTF-8 text (invalid byte at offset {exc.start})", source=fetched.display) from exc
    if b"*" in data and expanded_size(document, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
        message = f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (an alias bomb?)"
        raise SpecError(message, source=fetched.display)
    return document


def expanded_size(root: Any, limit: int) -> int:
    """How many nodes ``root`` has once every shared object (YAML alias) is counted each time it appears.

    Linear in the number of distinct objects; counts stop growing past ``limit``; a cycle counts once.
    """
    sizes: dict[int, int] = {}
    busy: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            sizes[id(node)] = min(total, limit + 1)
            busy.discard(id(node))
            continue
        if id(node) in busy:
            continue
        busy.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, dict | list) and id(c) not in sizes)
    return sizes.get(id(root), 1)


def path_to_uri(source: str | os.PathLike[str]) -> str:
    return Path(source).resolve().as_uri()
