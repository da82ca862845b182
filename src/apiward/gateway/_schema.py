"""The gateway config schema: the core sections plus each available policy's ``OPTIONS_SCHEMA``."""

from __future__ import annotations

from typing import Any

from apiward.gateway.policies import policy_modules

__all__ = ["config_schema", "core_schema"]

_CIDRS = {"type": "array", "items": {"type": "string"}}


def _obj(properties: dict[str, Any], *, description: str = "", required: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    if description:
        out["description"] = description
    if required:
        out["required"] = required
    return out


def core_schema() -> dict[str, Any]:
    """Every top-level section except the policies' options."""
    return {
        "version": {"const": 1, "default": 1, "description": "Config format version."},
        "mode": {
            "enum": ["proxy", "decision"],
            "default": "proxy",
            "description": "proxy: reverse proxy to 'upstream'; decision: answer nginx auth_request / Envoy "
            "ext_authz with 200/401/403.",
        },
        "spec": {"type": "string", "description": "OpenAPI description (path relative to this file)."},
        "base_path": {
            "type": "string",
            "description": "Path prefix in front of the spec's paths (e.g. '/v1'); default: the path of the spec's "
            "server URL. '' for none.",
        },
        "upstream": _obj(
            {
                "url": {"type": "string", "pattern": "^https?://", "description": "Origin to proxy to."},
                "connect_timeout_s": {"type": "number", "exclusiveMinimum": 0, "default": 5},
                "timeout_s": {"type": "number", "exclusiveMinimum": 0, "default": 30},
                "max_idle_connections": {"type": "integer", "minimum": 0, "default": 64},
                "max_response_bytes": {"type": "integer", "minimum": 1024, "default": 16777216},
                "ca_file": {"type": "string", "description": "CA bundle for an https upstream."},
                "preserve_host": {
                    "type": "boolean",
                    "default": False,
                    "description": "Send the client's Host upstream (default: the upstream URL's host).",
                },
            },
            required=["url"],
            description="The API behind the gateway (proxy mode).",
        ),
        "listen": _obj(
            {
                "host": {"type": "string", "default": "127.0.0.1"},
                "port": {"type": "integer", "minimum": 0, "maximum": 65535, "default": 8080},
                "tls": _obj(
                    {
                        "cert": {"type": "string", "description": "PEM certificate chain."},
                        "key": {"type": "string", "description": "PEM private key."},
                        "min_version": {"enum": ["1.2", "1.3"], "default": "1.2"},
                    },
                    required=["cert", "key"],
                    description="Terminate TLS (>= 1.2).",
                ),
            },
            description="Where clients connect.",
        ),
        "limits": _obj(
            {
                "max_url_bytes": {"type": "integer", "minimum": 64, "default": 8192},
                "max_header_bytes": {"type": "integer", "minimum": 256, "default": 16384},
                "max_headers_total_bytes": {"type": "integer", "minimum": 1024, "default": 65536},
                "max_header_count": {"type": "integer", "minimum": 8, "default": 100},
                "max_body_bytes": {"type": "integer", "minimum": 0, "default": 10485760},
                "header_timeout_s": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "default": 10,
                    "description": "Seconds to receive a whole request, head and body (408 after).",
                },
                "keepalive_timeout_s": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "default": 30,
                    "description": "Seconds an idle kept-alive connection stays open.",
                },
                "max_connections": {
                    "type": "integer",
                    "minimum": 1,
                    "default": 10000,
                    "description": "Open client connections; more are answered 503 and closed.",
                },
            },
            description="Wire limits enforced while parsing (before any policy).",
        ),
        "trusted_proxies": {
            **_CIDRS,
            "default": [],
            "description": "Peers whose X-Forwarded-For is believed (CIDRs); the client IP is the right-most "
            "untrusted address.",
        },
        "decision": _obj(
            {
                "flavor": {
                    "enum": ["auto", "nginx", "envoy"],
                    "default": "auto",
                    "description": "nginx: answer only 200/401/403 (real status in X-Apiward-Status).",
                },
            },
            description="Decision mode options.",
        ),
        "state": {
            "type": "string",
            "default": "memory://",
            "description": "State backend: memory:// (one process; memory://?max_keys=N bounds it, default "
            "1000000) or redis://host:port/db (shared by instances).",
        },
        "admin": _obj(
            {
                "host": {"type": "string", "default": "127.0.0.1"},
                "port": {"type": "integer", "minimum": 0, "maximum": 65535},
                "token": {"type": "string", "minLength": 16, "description": "Bearer token (use ${ENV})."},
                "public_probes": {
                    "type": "boolean",
                    "default": False,
                    "description": "Serve /healthz and /readyz without the token.",
                },
            },
            required=["port", "token"],
            description="Admin endpoints on their own port: /healthz /readyz /metrics /config /reload /blocklist.",
        ),
        "analytics": _obj(
            {
                "enabled": {
                    "type": "boolean",
                    "default": True,
                    "description": "Run the behavioural detectors (enumeration, credential stuffing, token sharing, "
                    "exfiltration, error probing, off-baseline rates) over the audit events, off the request path; "
                    "alerts go to the audit trail, detector metrics to the admin /metrics. Needs the audit policy "
                    "(on by default); with audit.sample_allowed < 1 the detectors see only the sampled requests. "
                    "Applies to `apiward gateway` (the CLI).",
                },
                "queue": {
                    "type": "integer",
                    "minimum": 1,
                    "default": 10000,
                    "description": "Events waiting for the detectors; beyond it events are recorded but not observed.",
                },
                "remediation": _obj(
                    {
                        "enabled": {
                            "type": "boolean",
                            "default": False,
                            "description": "Act on detections: block the principal, token or IP for block_ttl_s.",
                        },
                        "block_ttl_s": {"type": "number", "exclusiveMinimum": 0, "default": 900},
                        "min_severity": {
                            "enum": ["low", "medium", "high", "critical"],
                            "default": "high",
                            "description": "Only detections at or above this severity act.",
                        },
                        "webhook_url": {"type": "string", "description": "POST each acting detection (JSON) here."},
                        "never_block": {
                            "type": "array",
                            "items": {"type": "string"},
                            "default": [],
                            "description": "identity:NAME, token:FINGERPRINT, ip:ADDRESS or a CIDR never blocked.",
                        },
                    },
                    description="Optional automatic response to detections (off by default).",
                ),
            },
            description="Behavioural analytics over the gateway's own audit events (apiward.analytics).",
        ),
        "reload": _obj(
            {
                "watch": {"type": "boolean", "default": True, "description": "Reload when the file changes."},
                "interval_s": {"type": "number", "minimum": 0.1, "default": 2},
                "drain_s": {"type": "number", "minimum": 0, "default": 30},
            },
            description="Config reload on SIGHUP and on file change; in-flight requests finish on the old config.",
        ),
    }


def config_schema() -> dict[str, Any]:
    """The whole config schema (JSON Schema 2020-12)."""
    modules = policy_modules()
    policies = {name: module.OPTIONS_SCHEMA for name, module in modules.items()}
    route_item = _obj(dict(policies), description="Per-route policy options, by policy name.")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "apiward gateway configuration",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **core_schema(),
            "policies": _obj(policies, description="Policy options by policy name (see the pipeline order)."),
            "routes": {
                "type": "object",
                "additionalProperties": route_item,
                "description": "Overrides by operationId or 'METHOD /path/template'.",
            },
        },
    }
