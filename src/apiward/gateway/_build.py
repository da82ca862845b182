"""Building the policy pipeline from a config: the explicit order, modes, per-route options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from apiward.core import ConfigError
from apiward.gateway._config import GatewayConfig
from apiward.gateway._context import PolicyContext
from apiward.gateway._pipeline import Pipeline
from apiward.gateway._policy import Mode
from apiward.gateway.policies import default_policies, load_module

if TYPE_CHECKING:
    import httpx

    from apiward.spec import ApiModel
    from apiward.state import StateBackend

__all__ = ["build_pipeline"]


def build_pipeline(
    config: GatewayConfig,
    *,
    model: ApiModel | None,
    state: StateBackend,
    http: httpx.AsyncClient,
    overrides: Mapping[str, Any] | None = None,
    extra_sinks: tuple[Any, ...] = (),
) -> Pipeline:
    """Instantiate the configured (and default-on) policies in :func:`default_policies` order.

    ``overrides`` maps a policy name to a ready-made policy object (tests, embedding).
    """
    policies: list[Any] = []
    route_modes: dict[str, dict[str, Mode]] = {}
    routes = _canonical_routes(config.routes, model)
    implied = _implied_policies(config)
    for spec in default_policies():
        if overrides and spec.name in overrides and spec.factory == "build":
            policies.append(overrides[spec.name])
            continue
        options = config.policies.get(spec.name)
        if options is None and not spec.default_on and spec.name not in implied:
            continue
        module = load_module(spec)
        if module is None:
            if options is not None:
                raise ConfigError(
                    f"policy {spec.name!r} is not available in this build",
                    source=config.source,
                    pointer=f"policies.{spec.name}",
                )
            continue
        opts = dict(options or {})
        mode = Mode(opts.get("mode", "enforce"))
        route_options = {key: route[spec.name] for key, route in routes.items() if spec.name in route}
        modes = {key: Mode(o["mode"]) for key, o in route_options.items() if "mode" in o}
        if mode is Mode.OFF and not any(m is not Mode.OFF for m in modes.values()):
            continue
        ctx = PolicyContext(
            mode=mode,
            model=model,
            state=state,
            http=http,
            route_options=route_options,
            config_dir=config.config_dir,
            extra_sinks=extra_sinks,
        )
        try:
            policy = getattr(module, spec.factory)(opts, ctx)
        except ConfigError as exc:
            if options is None:  # a default-on/implied policy that cannot run with defaults (e.g. needs a spec)
                continue
            if exc.source is None:
                exc.source = config.source
                exc.args = (str(exc),)
            raise
        if modes:
            route_modes[spec.name] = modes
        policies.append(policy)
    return Pipeline(policies, route_modes=route_modes)


#: Authentication policies; configuring any of them turns ``authz`` on (see :func:`_implied_policies`).
AUTHN_POLICIES = ("authn_jwt", "authn_introspection", "authn_apikey")


def _implied_policies(config: GatewayConfig) -> frozenset[str]:
    """Policies on because of others: authenticating without authorising would let a request without
    credentials reach operations whose security requires them, so any (not off) authentication policy
    brings ``authz`` with it, enforcing, unless the config sets ``authz`` itself (``mode: off`` to opt out)."""
    for name in AUTHN_POLICIES:
        options = config.policies.get(name)
        if options is not None and options.get("mode", "enforce") != Mode.OFF.value:
            return frozenset({"authz"})
    return frozenset()


def _canonical_routes(routes: Mapping[str, Mapping[str, Any]], model: ApiModel | None) -> dict[str, Mapping[str, Any]]:
    """Key every override by :attr:`Exchange.route_key` (operationId, else ``"METHOD /template"``).

    Users may write either form; two keys naming the same operation are a config error.
    """
    out: dict[str, Mapping[str, Any]] = {}
    for key, options in routes.items():
        op = model.operation(key) if model is not None else None
        canonical = (op.operation_id or f"{op.method} {op.path}") if op is not None else key
        if canonical in out:
            raise ConfigError(f"{key!r} names the same operation as another routes key", pointer=f"routes.{key}")
        out[canonical] = options
    return out
