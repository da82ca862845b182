"""Options of gateway policies and config sections: closed object schemas and validation with key paths.

Errors name the key path (``policies.ratelimit.limits[0].rate``) and, for an unknown key, suggest
the closest known one ("did you mean 'burst'?").
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

import jsonschema

from apiward.core import ConfigError

__all__ = ["MODE_SCHEMA", "check_options", "error_message", "key_path", "policy_schema"]

MODE_SCHEMA: dict[str, Any] = {
    "enum": ["enforce", "log-only", "off"],
    "default": "enforce",
    "description": "enforce: deny; log-only: record what would be denied and let it pass; off: skip.",
}


def policy_schema(
    properties: Mapping[str, Any], *, required: Sequence[str] = (), description: str = ""
) -> dict[str, Any]:
    """A closed object schema for a policy's options; ``mode`` is always accepted."""
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"mode": MODE_SCHEMA, **properties},
    }
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


def key_path(parts: Sequence[str | int], *, prefix: str = "") -> str:
    out = prefix
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def error_message(error: jsonschema.ValidationError) -> tuple[str, list[str]]:
    """``(message, extra key path parts)`` for a validation error, with a "did you mean" for unknown keys."""
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = list(schema.get("properties", {}))
        unknown = [k for k in error.instance if k not in known]
        if unknown:
            key = str(unknown[0])
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
            return f"unknown key {key!r}{hint}", [key]
    if error.validator == "enum" and isinstance(error.instance, str):
        choices = [str(c) for c in schema.get("enum", ())]
        close = difflib.get_close_matches(error.instance, choices, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{error.instance!r} is not one of {', '.join(choices)}{hint}", []
    return error.message, []


def check_options(
    schema: Mapping[str, Any], options: Mapping[str, Any], *, pointer: str, source: str | None = None
) -> dict[str, Any]:
    """``options`` as a dict with schema defaults filled in (top level), or :class:`ConfigError`."""
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(dict(options)))
    if error is not None:
        message, extra = error_message(error)
        raise ConfigError(message, source=source, pointer=key_path([*error.absolute_path, *extra], prefix=pointer))
    out = dict(options)
    for key, prop in schema.get("properties", {}).items():
        if key not in out and isinstance(prop, Mapping) and "default" in prop:
            out[key] = prop["default"]
    return out
