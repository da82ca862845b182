"""Strict validation of a whole description against the official OpenAPI meta-schemas.

Optional (``load(..., strict=True)``): the loader's own checks cover what the model needs and run in
one pass; the meta-schemas add everything else the specification's JSON Schema states (unknown
keywords, ``description`` required on responses, ...) at a cost of seconds on multi-megabyte
descriptions. Only the root document is validated; referenced files are checked by the loader.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from apiward.core import SpecError
from apiward.spec._context import one_line_errors
from apiward.spec._pointer import join

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

__all__ = ["validate_document"]

_MAX_MESSAGE = 200


@functools.cache
def _validator(version: str) -> Validator:
    import jsonschema  # imported on first use: it costs a tenth of a second and most loads never need it

    text = resources.files("apiward.spec").joinpath("_metaschemas", f"openapi-{version}.json").read_text("utf-8")
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _version_of(doc: Mapping[str, Any], source: str) -> str:
    if str(doc.get("swagger", "")) == "2.0":
        return "2.0"
    version = str(doc.get("openapi", ""))
    for prefix in ("3.0", "3.1"):
        if version.startswith(prefix + "."):
            return prefix
    raise SpecError("not an OpenAPI 2.0, 3.0 or 3.1 description", source=source, pointer="/")


def validate_document(doc: Mapping[str, Any], *, source: str) -> None:
    """Raise :class:`~apiward.core.SpecError` (file + JSON pointer) unless ``doc`` satisfies its meta-schema."""
    with one_line_errors():
        _validate(doc, source)


def _validate(doc: Mapping[str, Any], source: str) -> None:
    from jsonschema.exceptions import best_match

    validator = _validator(_version_of(doc, source))
    error = best_match(validator.iter_errors(doc))
    if error is None:
        return
    while error.context:  # "not valid under any of the given schemas": name what the likeliest branch lacks
        branches = [e for e in error.context if not (e.validator == "required" and "'$ref'" in e.message)]
        if not branches:
            break
        deeper = best_match(branches)
        if deeper is None:
            break
        error = deeper
    raise SpecError(_message(error), source=source, pointer=join("", *error.absolute_path) or "/")


def _message(error: ValidationError) -> str:
    message = " ".join(str(error.message).split())
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 1] + "…"
    return f"does not match the OpenAPI meta-schema ({error.validator}): {message}"
