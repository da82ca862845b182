"""The normalised, immutable model of an API description (``ApiModel``) that every engine shares.

Schemas are plain JSON-Schema mappings with every ``$ref`` resolved in place; recursive schemas are
real cycles between the same dict objects, so a walker must keep a set of visited ``id()``s (use
:func:`apiward.spec.walk_schema`). Treat every mapping here as read-only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from apiward.core import Operation

if TYPE_CHECKING:
    from apiward.spec._router import RouteMatch, Router

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

Schema = Mapping[str, Any]
#: One alternative of an operation's security: scheme name -> required scopes. All schemes in it apply together.
SecurityRequirement = Mapping[str, tuple[str, ...]]


class _Empty(Mapping[str, Any]):
    """The shared, immutable and hashable empty mapping used as a field default (dataclasses refuse a
    ``MappingProxyType`` default because it is unhashable)."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"


_EMPTY: Mapping[str, Any] = _Empty()


class ParamLocation(enum.Enum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


@dataclass(frozen=True, slots=True, kw_only=True)
class Server:
    url: str
    description: str | None = None
    variables: Mapping[str, Any] = _EMPTY


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    name: str
    location: ParamLocation
    required: bool = False
    schema: Schema = _EMPTY
    style: str | None = None
    explode: bool | None = None
    deprecated: bool = False
    description: str | None = None
    examples: tuple[Any, ...] = ()
    pointer: str = ""  # JSON pointer of the parameter in its source document


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaType:
    media_type: str
    schema: Schema | None = None
    examples: tuple[Any, ...] = ()
    encoding: Mapping[str, Any] = _EMPTY


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestBody:
    required: bool = False
    content: Mapping[str, MediaType] = _EMPTY
    description: str | None = None
    pointer: str = ""  # where it is used: .../post/requestBody (3.x) or the body/formData parameter (2.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    status: str  # "200", "4XX", "default"
    description: str | None = None
    content: Mapping[str, MediaType] = _EMPTY
    headers: Mapping[str, Parameter] = _EMPTY
    links: Mapping[str, Any] = _EMPTY
    pointer: str = ""  # where it is used: .../get/responses/200


@dataclass(frozen=True, slots=True, kw_only=True)
class OAuthFlow:
    kind: str  # implicit | password | clientCredentials | authorizationCode
    authorization_url: str | None = None
    token_url: str | None = None
    refresh_url: str | None = None
    scopes: Mapping[str, str] = _EMPTY


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityScheme:
    name: str
    type: str  # apiKey | http | oauth2 | openIdConnect | mutualTLS
    scheme: str | None = None  # for http: basic | bearer | digest ...
    bearer_format: str | None = None
    location: str | None = None  # for apiKey: query | header | cookie
    param_name: str | None = None  # for apiKey: the header/query/cookie name
    flows: Mapping[str, OAuthFlow] = _EMPTY
    openid_connect_url: str | None = None
    description: str | None = None
    pointer: str = ""  # /components/securitySchemes/<name> (3.x) or /securityDefinitions/<name> (2.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiOperation:
    """One operation of the description with everything the engines need."""

    method: str
    path: str
    operation_id: str | None = None
    summary: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    parameters: tuple[Parameter, ...] = ()
    request_body: RequestBody | None = None
    responses: Mapping[str, Response] = _EMPTY
    #: Effective security: alternatives (OR) of requirements (AND). Empty tuple = no authentication.
    security: tuple[SecurityRequirement, ...] = ()
    #: True when the operation declared ``security`` itself (``security: []`` is an explicit opt-out).
    security_declared: bool = False
    servers: tuple[Server, ...] = ()
    extensions: Mapping[str, Any] = _EMPTY
    pointer: str = ""  # JSON pointer of the operation object, e.g. /paths/~1users~1{id}/get

    @property
    def ref(self) -> Operation:
        """The shared key of this operation (method + path template + operationId)."""
        return Operation(method=self.method, path=self.path, operation_id=self.operation_id)

    @property
    def requires_auth(self) -> bool:
        """True unless no security applies or one alternative is empty (``{}`` = anonymous allowed)."""
        return bool(self.security) and all(req for req in self.security)

    def params(self, location: ParamLocation) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location is location)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiModel:
    """A loaded API description: info, servers, operations, security schemes. Immutable."""

    title: str
    version: str
    source: str  # file path or URL it came from
    spec_version: str  # "2.0", "3.0.3", "3.1.0" ...
    servers: tuple[Server, ...] = ()
    operations: tuple[ApiOperation, ...] = ()
    security_schemes: Mapping[str, SecurityScheme] = _EMPTY
    security: tuple[SecurityRequirement, ...] = ()  # the document's global default
    schemas: Mapping[str, Schema] = _EMPTY  # named component schemas (definitions in 2.0)
    raw: Mapping[str, Any] = field(default=_EMPTY, repr=False)  # the source document, refs unresolved
    #: OpenAPI 3.1 webhooks: requests the API *sends*. ``path`` is the webhook's name; never routed.
    webhooks: tuple[ApiOperation, ...] = ()
    _router: Router | None = field(default=None, repr=False, compare=False)

    def match(self, method: str, path: str) -> RouteMatch | None:
        """The operation serving a concrete ``method`` + ``path`` and its path params, or ``None``."""
        return self.router.match(method, path)

    @property
    def router(self) -> Router:
        router = self._router
        if router is None:
            from apiward.spec._router import Router

            router = Router(self.operations)
            object.__setattr__(self, "_router", router)
        return router

    def operation(self, key: str) -> ApiOperation | None:
        """Find by operationId or by ``"METHOD /path/template"``."""
        for op in self.operations:
            if op.operation_id == key or f"{op.method} {op.path}" == key:
                return op
        return None

    def methods_for(self, path_template: str) -> tuple[str, ...]:
        return tuple(sorted(op.method for op in self.operations if op.path == path_template))

    @property
    def base_paths(self) -> tuple[str, ...]:
        """The path part of each server URL, variables at their defaults, no trailing slash (``""`` = root).

        Path templates are relative to it: a request for ``/v2/pet/1`` to a server ``https://h/v2`` is
        routed as ``/pet/1``. Longest first, so stripping the first that fits is right.
        """
        return _base_paths(self.servers)


def _base_paths(servers: tuple[Server, ...]) -> tuple[str, ...]:
    found: set[str] = set()
    for server in servers:
        url = server.url
        for name, variable in server.variables.items():
            default = variable.get("default") if isinstance(variable, Mapping) else None
            url = url.replace("{" + str(name) + "}", str(default if default is not None else ""))
        path = urlsplit(url).path if "://" in url or url.startswith("//") else url.split("?", 1)[0]
        found.add(unquote(path).rstrip("/"))
    return tuple(sorted(found or {""}, key=lambda p: (-len(p), p)))
