"""The built-in audit rules: one module each, run in the explicit order of :data:`RULE_MODULES`.

To add a rule: create ``audNNN_<name>.py`` with the next free id (ids are never reused), import it here
and append it to :data:`RULE_MODULES`, then regenerate ``docs/reference/audit-rules.md``
(``python scripts/gen_docs.py``).
"""

from __future__ import annotations

from types import ModuleType

from apiward.audit._registry import Registry
from apiward.audit._rule import Rule
from apiward.audit.rules import (
    aud001_operation_without_security,
    aud002_no_global_security,
    aud003_public_write_operation,
    aud004_anonymous_alternative,
    aud005_api_key_in_query,
    aud006_http_basic,
    aud007_http_digest,
    aud008_oauth2_implicit,
    aud009_oauth2_password,
    aud010_oauth_urls_not_https,
    aud011_bearer_without_format,
    aud012_token_in_query,
    aud013_sensitive_query_parameter,
    aud014_unused_security_scheme,
    aud015_undefined_security_scheme,
    aud016_missing_401,
    aud017_missing_403,
    aud018_missing_429,
    aud019_unbounded_string,
    aud020_unbounded_number,
    aud021_unbounded_array,
    aud022_mass_assignment,
    aud023_sensitive_property_in_response,
    aud024_privileged_property_writable,
    aud025_integer_id_in_path,
    aud026_id_without_pattern,
    aud027_old_api_version,
    aud028_deprecated_operation,
    aud029_http_server,
    aud030_no_servers,
    aud031_local_server,
    aud032_missing_operation_id,
    aud033_duplicate_operation_id,
    aud034_response_without_schema,
    aud035_unbounded_upload,
    aud036_admin_path_without_security,
    aud037_debug_endpoint,
    aud038_graphql_without_security,
    aud039_request_body_without_schema,
    aud040_body_on_get,
    aud041_url_parameter,
    aud042_unpaginated_collection,
    aud043_error_details_in_response,
    aud044_oauth2_without_scopes,
    aud045_secret_in_path,
    aud046_trace_method,
    aud047_weak_password_policy,
    aud048_free_form_query_selector,
    aud049_credentials_in_description,
)

__all__ = ["RULE_MODULES", "builtin_rules"]

#: Every built-in rule module, in run (and documentation) order.
RULE_MODULES: tuple[ModuleType, ...] = (
    aud001_operation_without_security,
    aud002_no_global_security,
    aud003_public_write_operation,
    aud004_anonymous_alternative,
    aud005_api_key_in_query,
    aud006_http_basic,
    aud007_http_digest,
    aud008_oauth2_implicit,
    aud009_oauth2_password,
    aud010_oauth_urls_not_https,
    aud011_bearer_without_format,
    aud012_token_in_query,
    aud013_sensitive_query_parameter,
    aud014_unused_security_scheme,
    aud015_undefined_security_scheme,
    aud016_missing_401,
    aud017_missing_403,
    aud018_missing_429,
    aud019_unbounded_string,
    aud020_unbounded_number,
    aud021_unbounded_array,
    aud022_mass_assignment,
    aud023_sensitive_property_in_response,
    aud024_privileged_property_writable,
    aud025_integer_id_in_path,
    aud026_id_without_pattern,
    aud027_old_api_version,
    aud028_deprecated_operation,
    aud029_http_server,
    aud030_no_servers,
    aud031_local_server,
    aud032_missing_operation_id,
    aud033_duplicate_operation_id,
    aud034_response_without_schema,
    aud035_unbounded_upload,
    aud036_admin_path_without_security,
    aud037_debug_endpoint,
    aud038_graphql_without_security,
    aud039_request_body_without_schema,
    aud040_body_on_get,
    aud041_url_parameter,
    aud042_unpaginated_collection,
    aud043_error_details_in_response,
    aud044_oauth2_without_scopes,
    aud045_secret_in_path,
    aud046_trace_method,
    aud047_weak_password_policy,
    aud048_free_form_query_selector,
    aud049_credentials_in_description,
)


def _validate(item: Rule) -> None:
    if not isinstance(item, Rule):
        raise TypeError(f"audit rules must be Rule objects (use @rule), got {type(item).__name__}")


def builtin_rules() -> Registry[Rule]:
    """A fresh registry of the built-in rules in :data:`RULE_MODULES` order (duplicate ids are rejected)."""
    registry: Registry[Rule] = Registry("audit rule", key=lambda r: r.id, validate=_validate)
    for module in RULE_MODULES:
        registry.register(module.check)
    return registry
