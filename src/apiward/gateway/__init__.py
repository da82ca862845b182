"""Layer 2 — the runtime enforcement point: a reverse proxy (or nginx/Envoy decision service) whose
requests pass through one explicit, ordered list of policies (see :func:`apiward.gateway.policies.default_policies`).

    gateway = await serve("apiward.yaml")            # or serve({"upstream": {"url": ...}, "spec": ...})
    print(gateway.port); await gateway.close()
"""

from apiward.gateway._config import GatewayConfig, load_config, quick_config
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._extensions import AuditTrail, ExtensionContext, ExtensionFactory
from apiward.gateway._pipeline import Pipeline
from apiward.gateway._policy import CompletionPolicy, Deny, Mode, Policy, ResponsePolicy
from apiward.gateway._schema import config_schema
from apiward.gateway._serve import Gateway, serve

__all__ = [
    "AuditTrail",
    "CompletionPolicy",
    "Deny",
    "Exchange",
    "ExtensionContext",
    "ExtensionFactory",
    "Gateway",
    "GatewayConfig",
    "Mode",
    "Pipeline",
    "Policy",
    "PolicyContext",
    "ResponsePolicy",
    "config_schema",
    "load_config",
    "quick_config",
    "serve",
]
