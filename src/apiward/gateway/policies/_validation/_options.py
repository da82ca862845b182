"""Policy options: an object schema helper and start-up validation that names the failing key path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jsonschema

from apiward.core import ConfigError

__all__ = ["object_schema", "route_options", "validate_options"]

_MODE = {"enum": ["enforce", "log-only", "off"], "description": "Run mode of this policy."}


def object_schema(
    properties: Mapping[str, Any], *, required: Sequence[str] = (), description: str = ""
) -> dict[str, Any]:
    """A closed object schema for a policy's options; ``mode`` is always accepted."""
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"mode": _MODE, **properties},
    }
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


def _path(error: jsonschema.ValidationError) -> str:
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def validate_options(schema: Mapping[str, Any], options: Mapping[str, Any], *, name: str) -> dict[str, Any]:
    """``options`` as a plain dict, or :class:`ConfigError` naming ``<policy>.<key path>``."""
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(dict(options)))
    if error is not None:
        raise ConfigError(error.message, pointer=f"policies.{name}{_path(error)}")
    return dict(options)


def route_options(
    schema: Mapping[str, Any], routes: Mapping[str, Mapping[str, Any]], *, name: str
) -> dict[str, dict[str, Any]]:
    """Per-route overrides, each validated against the policy's schema."""
    return {key: validate_options(schema, opts, name=f"{name}.routes[{key}]") for key, opts in routes.items()}
