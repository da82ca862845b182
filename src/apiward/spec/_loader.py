"""``load`` and ``load_document``: the one entry point from a description to an ``ApiModel``.

How far the loader validates: it checks by hand, in one pass, everything the model is built from
(types of objects, required fields, parameter locations, response codes, security schemes, ``$ref``s)
and reports the first problem with its file and JSON pointer. It does not validate whole documents
against the official OpenAPI meta-schemas: that takes seconds on the multi-megabyte descriptions real
vendors publish, and rejects many of them for details (e.g. a stray keyword) that do not change the
model. The audit rules judge what the loader lets through.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

from apiward.core import SpecError, redact_url
from apiward.spec._context import kind_of, one_line_errors
from apiward.spec._metaschema import validate_document
from apiward.spec._model import ApiModel
from apiward.spec._openapi3 import build_openapi3
from apiward.spec._refs import Document, Resolver
from apiward.spec._source import fetch, is_url, parse, path_to_uri
from apiward.spec._swagger2 import build_swagger2

__all__ = ["load", "load_document"]

_OPENAPI3 = re.compile(r"3\.[01]\.\d+(-.+)?")


def load(source: str | os.PathLike[str], *, allow_remote_refs: bool = True, strict: bool = False) -> ApiModel:
    """Load an OpenAPI 2.0 / 3.0.x / 3.1.x description (JSON or YAML, ``.gz`` too) from a path or http(s) URL.

    Raises :class:`~apiward.core.SpecError` (``file: /json/pointer: message``) when it cannot be read,
    parsed, resolved or is invalid. ``strict`` also validates the document against the official
    OpenAPI meta-schema (seconds on multi-megabyte descriptions).
    """
    text = os.fspath(source)
    uri = text if is_url(text) else path_to_uri(text)
    display = redact_url(text) if is_url(text) else text  # a token in the URL never reaches a message
    with _without_gc(), one_line_errors():
        document = parse(fetch(uri, display=display))
        root = Document(uri=uri, display=display, root=document)
        return _build(root, allow_remote_refs=allow_remote_refs, strict=strict)


def load_document(
    doc: Mapping[str, Any], *, source: str, allow_remote_refs: bool = True, strict: bool = False
) -> ApiModel:
    """Build the model from an already parsed document; relative ``$ref``s resolve against ``source``."""
    uri = source if is_url(source) else path_to_uri(source)
    display = redact_url(source) if is_url(source) else source
    with _without_gc(), one_line_errors():
        return _build(Document(uri=uri, display=display, root=doc), allow_remote_refs=allow_remote_refs, strict=strict)


@contextlib.contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a description is parsed and built.

    Building allocates millions of containers and none of them is garbage until the load ends, so
    the collector's passes over the young generations are pure overhead: about a third of the load
    time of the largest fixture. Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(root: Document, *, allow_remote_refs: bool, strict: bool) -> ApiModel:
    model = _model(root, allow_remote_refs=allow_remote_refs)
    if strict:  # after the loader's own checks, whose messages say more
        validate_document(model.raw, source=root.display)
    return model


def _model(root: Document, *, allow_remote_refs: bool) -> ApiModel:
    doc = root.root
    if not isinstance(doc, Mapping):
        raise SpecError(f"an API description must be an object, not {kind_of(doc)}", source=root.display, pointer="/")
    if not isinstance(doc, dict):
        root.root = doc = dict(doc)
    resolver = Resolver(root, allow_remote=allow_remote_refs)
    try:
        if "swagger" in doc:
            version = str(doc["swagger"])
            if version != "2.0":
                raise SpecError(
                    f"unsupported Swagger version {version!r} (expected '2.0')", source=root.display, pointer="/swagger"
                )
            return build_swagger2(resolver)
        if "openapi" in doc:
            version = str(doc["openapi"])
            if not _OPENAPI3.fullmatch(version):
                message = f"unsupported OpenAPI version {version!r} (expected 3.0.x or 3.1.x)"
                raise SpecError(message, source=root.display, pointer="/openapi")
            return build_openapi3(resolver, version)
    except RecursionError as exc:
        raise SpecError("the description is nested too deeply", source=root.display) from exc
    raise SpecError(
        "not an OpenAPI description: 'openapi' (or 'swagger' for 2.0) is required", source=root.display, pointer="/"
    )
