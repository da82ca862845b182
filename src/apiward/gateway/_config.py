"""Loading the gateway's one YAML config: parse, ``${ENV}`` substitution, schema validation, route keys.

Errors are :class:`~apiward.core.ConfigError` naming the file, the key path and, for a misspelt key,
the closest known one. A value that came from the environment is never quoted in an error.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema
import orjson
import yaml

from apiward.core import ConfigError
from apiward.gateway._envsubst import substitute
from apiward.gateway._options import error_message, key_path
from apiward.gateway._schema import config_schema

__all__ = ["GatewayConfig", "load_config", "quick_config"]


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayConfig:
    """A validated configuration. ``data`` is the substituted document with top-level defaults filled."""

    data: Mapping[str, Any]
    source: str | None = None
    config_dir: str = "."
    #: Content hash of the effective config (after substitution) — the "config version".
    version: str = ""
    env_paths: frozenset[tuple[str | int, ...]] = field(default_factory=frozenset)

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.data.get(name)
        return value if isinstance(value, Mapping) else MappingProxyType({})

    @property
    def mode(self) -> str:
        return str(self.data.get("mode", "proxy"))

    @property
    def policies(self) -> Mapping[str, Mapping[str, Any]]:
        return self.section("policies")

    @property
    def routes(self) -> Mapping[str, Mapping[str, Any]]:
        return self.section("routes")

    def spec_path(self) -> str | None:
        spec = self.data.get("spec")
        if not spec:
            return None
        path = Path(str(spec))
        return str(path if path.is_absolute() else Path(self.config_dir) / path)


_validator_cache: list[jsonschema.Draft202012Validator] = []


def _validator() -> jsonschema.Draft202012Validator:
    if not _validator_cache:
        schema = config_schema()
        jsonschema.Draft202012Validator.check_schema(schema)
        _validator_cache.append(jsonschema.Draft202012Validator(schema))
    return _validator_cache[0]


def _fill_defaults(doc: dict[str, Any]) -> dict[str, Any]:
    """Top-level and one-level-deep section defaults, so the runtime reads plain values."""
    from apiward.gateway._schema import core_schema

    for key, prop in core_schema().items():
        if key not in doc and "default" in prop:
            doc[key] = prop["default"]
        section = doc.get(key)
        if isinstance(section, dict) and prop.get("type") == "object":
            for sub, sprop in prop.get("properties", {}).items():
                if sub not in section and isinstance(sprop, Mapping) and "default" in sprop:
                    section[sub] = sprop["default"]
    for key in ("listen", "limits", "decision", "reload"):
        if key not in doc:
            doc[key] = _fill_defaults_section(key)
    return doc


def _fill_defaults_section(key: str) -> dict[str, Any]:
    from apiward.gateway._schema import core_schema

    prop = core_schema()[key]
    return {k: v["default"] for k, v in prop["properties"].items() if isinstance(v, Mapping) and "default" in v}


def validate(doc: Any, *, source: str | None = None, env_paths: frozenset[tuple[str | int, ...]] = frozenset()) -> None:
    if not isinstance(doc, Mapping):
        raise ConfigError("the configuration must be a mapping of sections", source=source)
    error = jsonschema.exceptions.best_match(_validator().iter_errors(doc))
    if error is not None:
        parts = tuple(error.absolute_path)
        message, extra = error_message(error)
        if parts in env_paths:
            message = f"the value from the environment is invalid ({error.validator} {error.validator_value!r})"
        raise ConfigError(message, source=source, pointer=key_path([*parts, *extra]) or "(top level)")


def check_routes(config: GatewayConfig, model: Any) -> None:
    """Every ``routes`` key must name an operation of the spec (when there is one)."""
    if model is None:
        return
    known = [op.operation_id for op in model.operations if op.operation_id]
    known += [f"{op.method} {op.path}" for op in model.operations]
    for key in config.routes:
        if model.operation(key) is None:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"no operation {key!r} in the spec{hint}", source=config.source, pointer=f"routes.{key}")


def _build(
    doc: Mapping[str, Any], *, source: str | None, config_dir: str, env: Mapping[str, str] | None
) -> GatewayConfig:
    substituted, touched = substitute(doc, env=env, source=source)
    env_paths = frozenset(touched)
    validate(substituted, source=source, env_paths=env_paths)
    data = _fill_defaults(dict(substituted))
    if data.get("mode") == "proxy" and "upstream" not in data:
        raise ConfigError("proxy mode needs 'upstream.url'", source=source, pointer="upstream")
    version = hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()[:12]
    return GatewayConfig(data=data, source=source, config_dir=config_dir, version=version, env_paths=env_paths)


def load_config(
    source: str | Path | Mapping[str, Any], *, env: Mapping[str, str] | None = None, config_dir: str | None = None
) -> GatewayConfig:
    """Load and validate a config from a YAML file path or an already-parsed mapping."""
    if isinstance(source, Mapping):
        return _build(source, source=None, config_dir=config_dir or ".", env=env)
    path = Path(source)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration: {exc.strerror or exc}", source=name) from exc
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(str(problem), source=name, pointer=where) from exc
    if doc is None:
        doc = {}
    if not isinstance(doc, Mapping):
        raise ConfigError("the configuration must be a mapping of sections", source=name)
    return _build(doc, source=name, config_dir=config_dir or str(path.parent), env=env)


def quick_config(
    spec: str | None,
    upstream: str | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    decision: str | None = None,
) -> GatewayConfig:
    """The safe defaults for ``--spec SPEC --upstream URL`` (no file): default-on policies in enforce mode.

    With ``decision`` (``nginx``/``envoy``/``auto``) and no upstream: a decision service instead.
    """
    doc: dict[str, Any] = {"listen": {"host": host, "port": port}}
    if upstream:
        doc["upstream"] = {"url": upstream}
    if decision:
        doc["mode"] = "decision"
        doc["decision"] = {"flavor": decision}
    if spec:
        doc["spec"] = str(Path(spec).resolve())
    return load_config(doc)
