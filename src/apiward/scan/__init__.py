"""Layer 2 — the active scanner (DAST): planner, generators, identities, runner and ``checks/``.

model = apiward.spec.load("openapi.yaml")
result = await Scanner(model, target="http://127.0.0.1:8000", config=ScanConfig.from_yaml("scan.yaml")).run()
"""

from apiward.scan._config import AuthConfig, IdentityConfig, ScanConfig
from apiward.scan._result import Coverage, ScanEvent, ScanResult
from apiward.scan._scanner import Scanner
from apiward.scan.checks import Check, CheckMeta, builtin_checks, registry

__all__ = [
    "AuthConfig",
    "Check",
    "CheckMeta",
    "Coverage",
    "IdentityConfig",
    "ScanConfig",
    "ScanEvent",
    "ScanResult",
    "Scanner",
    "builtin_checks",
    "registry",
]
