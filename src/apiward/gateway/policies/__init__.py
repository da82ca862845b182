"""Gateway policies, one per module, and THE order they run in (:func:`default_policies`).

Every policy module exposes ``NAME``, ``OPTIONS_SCHEMA`` (JSON Schema of its options, used for config
validation and the generated reference) and ``build(options, ctx) -> Policy``. The order is fixed
here and nowhere else; configuration turns policies on, off or into log-only, never reorders them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

__all__ = ["PolicySpec", "default_policies", "load_module", "policy_modules"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicySpec:
    """One stage of the pipeline: the config key, the module implementing it, and its factory."""

    name: str
    module: str
    factory: str = "build"
    #: Built even when the config does not mention it (with its default options).
    default_on: bool = False
    #: Runs after the upstream answered (response protection) or at the end (audit).
    phase: str = "request"


def default_policies() -> tuple[PolicySpec, ...]:
    """cors preflight → hygiene → ip → blocklist → authn → authz → ratelimit → validate → threat → upstream →
    response → audit."""
    return (
        # CORS preflights are answered at the edge, before hygiene's 405 and before authentication.
        PolicySpec(name="response_cors", module="response_cors", factory="build_preflight_stage"),
        PolicySpec(name="hygiene", module="hygiene", default_on=True),
        PolicySpec(name="ip", module="ip"),
        PolicySpec(name="blocklist", module="blocklist", default_on=True),
        PolicySpec(name="authn_jwt", module="authn_jwt"),
        PolicySpec(name="authn_introspection", module="authn_introspection"),
        PolicySpec(name="authn_apikey", module="authn_apikey"),
        # The block list again, now that the subject is known.
        PolicySpec(name="blocklist", module="blocklist", factory="build_identity_stage", default_on=True),
        PolicySpec(name="authz", module="authz"),
        PolicySpec(name="ratelimit", module="ratelimit"),
        PolicySpec(name="validate_request", module="validate_request", default_on=True),
        PolicySpec(name="threat", module="threat", default_on=True),
        PolicySpec(name="response_validate", module="response_validate", phase="response"),
        PolicySpec(name="response_mask", module="response_mask", phase="response"),
        PolicySpec(name="response_scrub", module="response_scrub", phase="response"),
        PolicySpec(name="response_cors", module="response_cors", phase="response"),
        PolicySpec(name="response_headers", module="response_headers", default_on=True, phase="response"),
        PolicySpec(name="audit", module="audit", default_on=True, phase="complete"),
    )


def load_module(spec: PolicySpec) -> ModuleType | None:
    """The policy's module, or ``None`` when this build does not ship it (other import errors propagate)."""
    qualified = f"{__name__}.{spec.module}"
    try:
        return importlib.import_module(qualified)
    except ModuleNotFoundError as exc:
        if exc.name == qualified:
            return None
        raise


def policy_modules() -> dict[str, ModuleType]:
    """Config key → module of every policy available in this build, in pipeline order."""
    out: dict[str, ModuleType] = {}
    for spec in default_policies():
        if spec.name in out:
            continue
        module = load_module(spec)
        if module is not None:
            out[spec.name] = module
    return out
