"""Policy options: an object schema helper and start-up validation that names the failing key path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jsonschema

from apiward.core import ConfigError
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._options import error_message, key_path, policy_schema
from apiward.gateway._policy import Mode

__all__ = ["RouteModes", "object_schema", "route_options", "validate_options"]

_MODE = {"enum": ["enforce", "log-only", "off"], "description": "Run mode of this policy."}


def object_schema(
    properties: Mapping[str, Any], *, required: Sequence[str] = (), description: str = ""
) -> dict[str, Any]:
    """A closed object schema for a policy's options; ``mode`` is always accepted (no default: the
    pipeline's mode for the policy applies)."""
    schema = policy_schema(properties, required=required, description=description)
    schema["properties"]["mode"] = _MODE
    return schema


def validate_options(schema: Mapping[str, Any], options: Mapping[str, Any], *, name: str) -> dict[str, Any]:
    """``options`` as a plain dict, or :class:`ConfigError` naming ``policies.<policy>.<key path>`` with the
    same "did you mean" hints as the rest of the config."""
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(dict(options)))
    if error is not None:
        message, extra = error_message(error)
        raise ConfigError(message, pointer=key_path([*error.absolute_path, *extra], prefix=f"policies.{name}"))
    return dict(options)


def route_options(
    schema: Mapping[str, Any], routes: Mapping[str, Mapping[str, Any]], *, name: str
) -> dict[str, dict[str, Any]]:
    """Per-route overrides, each validated against the policy's schema."""
    return {key: validate_options(schema, opts, name=f"{name}.routes[{key}]") for key, opts in routes.items()}


class RouteModes:
    """The mode a rewriting policy runs in for one exchange: per-route ``mode`` overrides the policy's.

    The pipeline applies per-route modes to denials; policies that *rewrite* a response (mask, strip,
    scrub, add headers) must know it themselves, so that a route in log-only mode is only observed.
    """

    __slots__ = ("_default", "_routes")

    def __init__(self, default: Mode, ctx: PolicyContext) -> None:
        self._default = default
        self._routes = {key: Mode(o["mode"]) for key, o in ctx.route_options.items() if "mode" in o}

    def enforcing(self, exchange: Exchange) -> bool:
        if self._routes:
            key = exchange.route_key
            if key is not None:
                return self._routes.get(key, self._default) is Mode.ENFORCE
        return self._default is Mode.ENFORCE
