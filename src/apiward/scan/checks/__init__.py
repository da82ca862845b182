"""The scanner's checks: one module per check, in one explicit, ordered list (no discovery).

Ids are stable and never reused; see ``CATALOGUE.md`` beside this file.
"""

from __future__ import annotations

from apiward.scan.checks._base import Check, CheckMeta, Registry, check

__all__ = ["Check", "CheckMeta", "Registry", "builtin_checks", "check", "registry"]


def builtin_checks() -> list[Check]:
    """Every built-in check in run order: authorisation first (needs pristine resources), then authentication,
    data exposure, injection, configuration and inventory, resource consumption last (it is the noisiest)."""
    from apiward.scan.checks import (
        scn_001_bola_read,
        scn_002_bola_write,
        scn_003_bola_delete,
        scn_010_missing_authentication,
        scn_011_invalid_credentials,
        scn_012_jwt_alg_none,
        scn_013_jwt_signature_stripped,
        scn_014_jwt_claims_tampered,
        scn_015_jwt_weak_secret,
        scn_016_jwt_key_confusion,
        scn_017_jwt_kid_injection,
        scn_018_jwt_jku_jwk_injection,
        scn_019_jwt_expiry_not_enforced,
        scn_020_user_enumeration,
        scn_021_login_no_lockout,
        scn_030_mass_assignment,
        scn_031_excessive_data_exposure,
        scn_032_sensitive_data,
        scn_040_no_rate_limiting,
        scn_041_unbounded_page_size,
        scn_042_oversized_payload,
        scn_043_redos,
        scn_050_bfla,
        scn_070_ssrf,
        scn_080_cors,
        scn_081_missing_security_headers,
        scn_082_verbose_errors,
        scn_083_version_disclosure,
        scn_084_undeclared_methods,
        scn_090_undocumented_endpoints,
        scn_091_deprecated_served,
        scn_100_sql_injection,
        scn_101_nosql_injection,
        scn_102_command_injection,
        scn_103_path_traversal,
        scn_104_ssti,
        scn_110_server_error,
        scn_111_response_schema_mismatch,
        scn_112_undeclared_status,
        scn_113_delete_not_effective,
        scn_114_slow_response,
    )

    return [
        scn_001_bola_read.bola_read,
        scn_002_bola_write.bola_write,
        scn_003_bola_delete.bola_delete,
        scn_050_bfla.bfla,
        scn_030_mass_assignment.mass_assignment,
        scn_010_missing_authentication.missing_authentication,
        scn_011_invalid_credentials.invalid_credentials,
        scn_012_jwt_alg_none.jwt_alg_none,
        scn_013_jwt_signature_stripped.jwt_signature_stripped,
        scn_014_jwt_claims_tampered.jwt_claims_tampered,
        scn_015_jwt_weak_secret.jwt_weak_secret,
        scn_016_jwt_key_confusion.jwt_key_confusion,
        scn_017_jwt_kid_injection.jwt_kid_injection,
        scn_018_jwt_jku_jwk_injection.jwt_jku_jwk,
        scn_019_jwt_expiry_not_enforced.jwt_expiry,
        scn_020_user_enumeration.user_enumeration,
        scn_021_login_no_lockout.login_no_lockout,
        scn_031_excessive_data_exposure.excessive_data_exposure,
        scn_032_sensitive_data.sensitive_data,
        scn_070_ssrf.ssrf,
        scn_100_sql_injection.sql_injection,
        scn_101_nosql_injection.nosql_injection,
        scn_102_command_injection.command_injection,
        scn_103_path_traversal.path_traversal,
        scn_104_ssti.ssti,
        scn_080_cors.cors,
        scn_081_missing_security_headers.missing_security_headers,
        scn_082_verbose_errors.verbose_errors,
        scn_083_version_disclosure.version_disclosure,
        scn_084_undeclared_methods.undeclared_methods,
        scn_090_undocumented_endpoints.undocumented_endpoints,
        scn_091_deprecated_served.deprecated_served,
        scn_110_server_error.server_error,
        scn_111_response_schema_mismatch.response_schema_mismatch,
        scn_112_undeclared_status.undeclared_status,
        scn_113_delete_not_effective.delete_not_effective,
        scn_041_unbounded_page_size.unbounded_page_size,
        scn_042_oversized_payload.oversized_payload,
        scn_043_redos.redos,
        scn_114_slow_response.slow_response,
        scn_040_no_rate_limiting.no_rate_limiting,
    ]


def registry() -> Registry[Check]:
    """The built-in checks by id; building it rejects duplicate ids."""
    return Registry("check", ((c.id, c) for c in builtin_checks()))
