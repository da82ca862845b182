"""Layer 1 — API descriptions (OpenAPI 2.0/3.0/3.1) loaded into the shared ``ApiModel``, and the router."""

from apiward.spec._loader import load, load_document
from apiward.spec._metaschema import validate_document
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
from apiward.spec._router import RouteMatch, Router
from apiward.spec._walk import walk_schema

__all__ = [
    "ApiModel",
    "ApiOperation",
    "MediaType",
    "OAuthFlow",
    "ParamLocation",
    "Parameter",
    "RequestBody",
    "Response",
    "RouteMatch",
    "Router",
    "Schema",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "load",
    "load_document",
    "validate_document",
    "walk_schema",
]
