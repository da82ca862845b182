"""JSON pointers into the source description for document-level places (security schemes, servers)."""

from __future__ import annotations

from apiward.spec import ApiModel

__all__ = ["escape", "scheme_pointer"]


def escape(token: str) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def scheme_pointer(model: ApiModel, name: str) -> str:
    """Where a security scheme is defined: ``/securityDefinitions/x`` (2.0) or ``/components/securitySchemes/x``."""
    if model.spec_version.startswith("2"):
        return f"/securityDefinitions/{escape(name)}"
    return f"/components/securitySchemes/{escape(name)}"
