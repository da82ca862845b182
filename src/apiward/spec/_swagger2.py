"""Swagger 2.0 -> the same ``ApiModel`` as OpenAPI 3.

The mapping follows the 2.0 -> 3.0 conversion the OpenAPI Initiative describes:
``host`` + ``basePath`` + ``schemes`` -> servers; ``body`` parameters -> a request body per ``consumes``
media type; ``formData`` parameters -> one object schema under ``multipart/form-data`` (when a file is
uploaded or consumes says so) or ``application/x-www-form-urlencoded``; ``collectionFormat`` ->
``style``/``explode``; response ``schema`` -> content per ``produces`` media type; ``securityDefinitions``
-> security schemes (``basic`` -> http basic, ``application`` -> clientCredentials, ``accessCode`` ->
authorizationCode).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiward.spec._context import METHODS, Loc, Reader, check_path, default_style, readonly
from apiward.spec._model import (
    ApiModel,
    ApiOperation,
    MediaType,
    OAuthFlow,
    Parameter,
    ParamLocation,
    RequestBody,
    Response,
    SecurityRequirement,
    SecurityScheme,
    Server,
)
from apiward.spec._openapi3 import STATUS
from apiward.spec._refs import Resolver
from apiward.spec._security import effective_security, requirements

__all__ = ["build_swagger2"]

_LOCATIONS = ("path", "query", "header", "body", "formData")
_SCHEME_TYPES = ("basic", "apiKey", "oauth2")
_FLOWS = {
    "implicit": "implicit",
    "password": "password",
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
}
#: Keywords of a non-body 2.0 parameter / header / items object that are JSON Schema keywords.
_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
)
#: collectionFormat -> (style, explode) for a query parameter; path/header use "simple".
_COLLECTION = {
    "csv": ("form", False),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "multi": ("form", True),
    "tsv": ("tabDelimited", False),
}
_DEFAULT_MEDIA = ("application/json",)


def build_swagger2(resolver: Resolver) -> ApiModel:
    return _Builder(resolver).build()


def _media_types(node: Mapping[str, Any], key: str, loc: Loc, default: tuple[str, ...]) -> tuple[str, ...]:
    values = Reader.field_list(node, key, loc)
    if not values:
        return default
    if not all(isinstance(v, str) for v in values):
        raise loc.at(key).error(f"'{key}' must be a list of media type strings")
    return tuple(values)


class _Builder(Reader):
    def build(self) -> ApiModel:
        root = self.resolver.root
        doc = root.root
        loc = Loc(root, "")
        info = self.field_obj(doc, "info", loc, required=True)
        title = self.required_text(info, "title", loc.at("info"))
        version = self.required_text(info, "version", loc.at("info"))
        servers = self._servers(doc, loc)
        schemes = self._schemes(self.field_obj(doc, "securityDefinitions", loc), loc.at("securityDefinitions"))
        definitions = self.field_obj(doc, "definitions", loc)
        schemas = {str(k): self.schema(v, loc.at("definitions", k)) for k, v in definitions.items()}
        security = requirements(doc, loc)
        consumes = _media_types(doc, "consumes", loc, _DEFAULT_MEDIA)
        produces = _media_types(doc, "produces", loc, _DEFAULT_MEDIA)
        operations: list[ApiOperation] = []
        paths = self.field_obj(doc, "paths", loc, required=True)
        for path, item in paths.items():
            use = loc.at("paths", path)
            if isinstance(path, str) and path.startswith("x-"):
                continue
            path = check_path(path, use)
            item, iloc = self.follow(item, use)
            self.obj(item, iloc, "a path item")
            shared = self._raw_parameters(item, iloc, use)
            for method in METHODS:
                if method in item:
                    operations.append(
                        self._operation(
                            method,
                            path,
                            item[method],
                            iloc.at(method),
                            use.at(method),
                            shared,
                            servers,
                            security,
                            consumes,
                            produces,
                        )
                    )
        return ApiModel(
            title=title,
            version=version,
            source=root.display,
            spec_version="2.0",
            servers=servers,
            operations=tuple(operations),
            security_schemes=readonly(schemes),
            security=security,
            schemas=readonly(schemas),
            raw=doc,
        )

    def _servers(self, doc: Mapping[str, Any], loc: Loc) -> tuple[Server, ...]:
        host = self.text(doc, "host", loc)
        base = self.text(doc, "basePath", loc) or ""
        if base and not base.startswith("/"):
            raise loc.at("basePath").error(f"'basePath' must start with '/', not {base!r}")
        if host is None:
            return (Server(url=base or "/"),)
        return tuple(Server(url=f"{scheme}://{host}{base}") for scheme in self._schemes_of(doc, loc) or ["https"])

    def _schemes_of(self, node: Mapping[str, Any], loc: Loc) -> list[str]:
        schemes = self.field_list(node, "schemes", loc)
        for i, scheme in enumerate(schemes):
            if scheme not in ("http", "https", "ws", "wss"):
                raise loc.at("schemes", i).error(f"a scheme must be one of http, https, ws, wss, not {scheme!r}")
        return schemes

    # -- operations ---------------------------------------------------------------------------------------
    def _raw_parameters(self, node: Mapping[str, Any], loc: Loc, use: Loc) -> list[tuple[dict[str, Any], Loc, str]]:
        """``(parameter object, where it is, pointer where it is used)`` with refs followed and checked."""
        out = []
        for i, param in enumerate(self.field_list(node, "parameters", loc)):
            pnode, ploc = self.follow(param, loc.at("parameters", i))
            self.obj(pnode, ploc, "a parameter")
            self.required_text(pnode, "name", ploc)
            self.choice(pnode, "in", ploc, _LOCATIONS)
            out.append((pnode, ploc, use.at("parameters", i).pointer))
        return out

    def _operation(
        self,
        method: str,
        path: str,
        op: Any,
        oloc: Loc,
        use: Loc,
        shared: list[tuple[dict[str, Any], Loc, str]],
        servers: tuple[Server, ...],
        security: tuple[SecurityRequirement, ...],
        consumes: tuple[str, ...],
        produces: tuple[str, ...],
    ) -> ApiOperation:
        self.obj(op, oloc, "an operation")
        own = self._raw_parameters(op, oloc, use)
        mine = {(p["name"], p["in"]) for p, _, _ in own}
        raw = [entry for entry in shared if (entry[0]["name"], entry[0]["in"]) not in mine] + own
        consumes = _media_types(op, "consumes", oloc, consumes)
        produces = _media_types(op, "produces", oloc, produces)
        parameters = tuple(
            self._parameter(p, ploc, pointer) for p, ploc, pointer in raw if p["in"] not in ("body", "formData")
        )
        effective, declared = effective_security(op, oloc, security)
        op_servers = servers
        if op.get("schemes") and servers and "://" in servers[0].url:
            rest = servers[0].url.split("://", 1)[1]
            op_servers = tuple(Server(url=f"{scheme}://{rest}") for scheme in self._schemes_of(op, oloc))
        return ApiOperation(
            method=method.upper(),
            path=path,
            operation_id=self.text(op, "operationId", oloc),
            summary=self.text(op, "summary", oloc),
            description=self.text(op, "description", oloc),
            tags=self.tags(op, oloc),
            deprecated=self.flag(op, "deprecated", oloc),
            parameters=parameters,
            request_body=self._request_body(raw, consumes),
            responses=self._responses(op, oloc, use, produces),
            security=effective,
            security_declared=declared,
            servers=op_servers,
            extensions=self.extensions(op),
            pointer=use.pointer,
        )

    def _parameter(self, node: Mapping[str, Any], loc: Loc, pointer: str) -> Parameter:
        location = ParamLocation(node["in"])
        style, explode = self._style(node, location, loc)
        return Parameter(
            name=str(node["name"]),
            location=location,
            required=location is ParamLocation.PATH or self.flag(node, "required", loc),
            schema=self._simple_schema(node, loc),
            style=style,
            explode=explode,
            description=self.text(node, "description", loc),
            examples=tuple(node[k] for k in ("x-example", "example") if k in node),
            pointer=pointer,
        )

    def _style(self, node: Mapping[str, Any], location: ParamLocation, loc: Loc) -> tuple[str, bool]:
        if node.get("type") != "array":
            return default_style(location.value, None, None)
        fmt = self.choice(node, "collectionFormat", loc, tuple(_COLLECTION)) if "collectionFormat" in node else "csv"
        if location is ParamLocation.QUERY:
            return _COLLECTION.get(fmt, ("form", False))
        return "simple", False

    def _simple_schema(self, node: Mapping[str, Any], loc: Loc) -> Mapping[str, Any]:
        """The JSON Schema of a non-body parameter, header or ``items`` object."""
        schema: dict[str, Any] = {k: node[k] for k in _SCHEMA_KEYS if k in node}
        if isinstance(node.get("items"), dict):
            items, iloc = self.follow(node["items"], loc.at("items"))
            schema["items"] = self._simple_schema(self.obj(items, iloc, "'items'"), iloc)
        if "type" not in schema:
            raise loc.error("'type' is required (or 'schema' for a body parameter)")
        if schema.get("type") == "file":
            schema = {"type": "string", "format": "binary", **{k: v for k, v in schema.items() if k != "type"}}
        if node.get("x-nullable") is True:
            schema["nullable"] = True
        return schema

    def _request_body(
        self, raw: list[tuple[dict[str, Any], Loc, str]], consumes: tuple[str, ...]
    ) -> RequestBody | None:
        body = [(p, ploc, pointer) for p, ploc, pointer in raw if p["in"] == "body"]
        form = [(p, ploc, pointer) for p, ploc, pointer in raw if p["in"] == "formData"]
        if body:
            node, loc, pointer = body[0]
            if node.get("schema") is None:
                raise loc.error("'schema' is required for a body parameter")
            schema = self.schema(node["schema"], loc.at("schema"))
            examples = tuple(node["x-examples"].values()) if isinstance(node.get("x-examples"), dict) else ()
            content = {m: MediaType(media_type=m, schema=schema, examples=examples) for m in consumes}
            return RequestBody(
                required=self.flag(node, "required", loc),
                content=readonly(content),
                description=self.text(node, "description", loc),
                pointer=pointer,
            )
        if not form:
            return None
        properties: dict[str, Any] = {}
        required: list[str] = []
        uploads = False
        for node, loc, _ in form:
            prop = dict(self._simple_schema(node, loc))
            uploads = uploads or node.get("type") == "file"
            if node.get("description"):
                prop["description"] = node["description"]
            properties[str(node["name"])] = prop
            if self.flag(node, "required", loc):
                required.append(str(node["name"]))
        form_schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            form_schema["required"] = required
        wanted = [m for m in consumes if m in ("multipart/form-data", "application/x-www-form-urlencoded")]
        if not wanted:
            wanted = ["multipart/form-data" if uploads else "application/x-www-form-urlencoded"]
        content = {m: MediaType(media_type=m, schema=form_schema) for m in wanted}
        return RequestBody(required=bool(required), content=readonly(content), pointer=form[0][2])

    def _responses(
        self, op: Mapping[str, Any], oloc: Loc, op_use: Loc, produces: tuple[str, ...]
    ) -> Mapping[str, Response]:
        out = {}
        for status, node in self.field_obj(op, "responses", oloc, required=True).items():
            key = str(status)
            if key.startswith("x-"):
                continue
            use = oloc.at("responses", key)
            if not STATUS.fullmatch(key):
                raise use.error(f"response status must be 'default' or a 3-digit code, not {key!r}")
            node, loc = self.follow(node, use)
            self.obj(node, loc, "a response")
            content: dict[str, MediaType] = {}
            if node.get("schema") is not None:
                schema = self.schema(node["schema"], loc.at("schema"))
                examples = node.get("examples") if isinstance(node.get("examples"), dict) else {}
                for media in produces:
                    sample = (examples[media],) if media in examples else ()
                    content[media] = MediaType(media_type=media, schema=schema, examples=sample)
            headers = {}
            for name, header in self.field_obj(node, "headers", loc).items():
                hloc = loc.at("headers", name)
                self.obj(header, hloc, "a header")
                headers[str(name)] = Parameter(
                    name=str(name),
                    location=ParamLocation.HEADER,
                    schema=self._simple_schema(header, hloc),
                    description=self.text(header, "description", hloc),
                    pointer=op_use.at("responses", key, "headers", name).pointer,
                )
            out[key] = Response(
                status=key,
                description=self.text(node, "description", loc),
                content=readonly(content),
                headers=readonly(headers),
                pointer=op_use.at("responses", key).pointer,
            )
        return readonly(out)

    # -- security ------------------------------------------------------------------------------------------
    def _schemes(self, node: Mapping[str, Any], loc: Loc) -> dict[str, SecurityScheme]:
        out = {}
        for name, scheme in node.items():
            sloc = loc.at(name)
            self.obj(scheme, sloc, "a security definition")
            kind = self.choice(scheme, "type", sloc, _SCHEME_TYPES)
            description = self.text(scheme, "description", sloc)
            if kind == "basic":
                out[str(name)] = SecurityScheme(
                    name=str(name), type="http", scheme="basic", description=description, pointer=sloc.pointer
                )
            elif kind == "apiKey":
                out[str(name)] = SecurityScheme(
                    name=str(name),
                    type="apiKey",
                    location=self.choice(scheme, "in", sloc, ("query", "header")),
                    param_name=self.required_text(scheme, "name", sloc),
                    description=description,
                    pointer=sloc.pointer,
                )
            else:
                flow = self.choice(scheme, "flow", sloc, tuple(_FLOWS))
                scopes = self.field_obj(scheme, "scopes", sloc)
                kind3 = _FLOWS[flow]
                oauth = OAuthFlow(
                    kind=kind3,
                    authorization_url=self.text(scheme, "authorizationUrl", sloc),
                    token_url=self.text(scheme, "tokenUrl", sloc),
                    scopes=readonly({str(k): str(v) for k, v in scopes.items()}),
                )
                if flow in ("implicit", "accessCode") and oauth.authorization_url is None:
                    raise sloc.error(f"'authorizationUrl' is required for the {flow!r} flow")
                if flow != "implicit" and oauth.token_url is None:
                    raise sloc.error(f"'tokenUrl' is required for the {flow!r} flow")
                out[str(name)] = SecurityScheme(
                    name=str(name),
                    type="oauth2",
                    flows=readonly({kind3: oauth}),
                    description=description,
                    pointer=sloc.pointer,
                )
        return out
