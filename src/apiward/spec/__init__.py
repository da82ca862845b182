"""Layer 1 — API descriptions (OpenAPI 2.0/3.0/3.1) loaded into the shared ``ApiModel``, and the router."""

from apiward.spec._model import (
    ApiModel,
    ApiOperation,
    MediaType,
    OAuthFlow,
    Parameter,
    ParamLocation,
    RequestBody,
    Response,
    Schema,
    SecurityRequirement,
    SecurityScheme,
    Server,
)

__all__ = [
    "ApiModel",
    "ApiOperation",
    "MediaType",
    "OAuthFlow",
    "ParamLocation",
    "Parameter",
    "RequestBody",
    "Response",
    "Schema",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
]
