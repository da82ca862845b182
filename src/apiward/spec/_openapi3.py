"""OpenAPI 3.0.x / 3.1.x -> ``ApiModel``, checking on the way what the model needs (errors name the pointer)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from apiward.spec._context import METHODS, Loc, Reader, check_path, default_style, kind_of, readonly
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
from apiward.spec._refs import Resolver
from apiward.spec._security import effective_security, requirements

__all__ = ["build_openapi3"]

_LOCATIONS = tuple(p.value for p in ParamLocation)
_SCHEME_TYPES = ("apiKey", "http", "oauth2", "openIdConnect", "mutualTLS")
_FLOW_KINDS = ("implicit", "password", "clientCredentials", "authorizationCode")
STATUS = re.compile(r"default|[1-5](?:\d\d|XX)")


def build_openapi3(resolver: Resolver, spec_version: str) -> ApiModel:
    return _Builder(resolver).build(spec_version)


class _Builder(Reader):
    def build(self, spec_version: str) -> ApiModel:
        root = self.resolver.root
        doc = root.root
        loc = Loc(root, "")
        info = self.field_obj(doc, "info", loc, required=True)
        title = self.required_text(info, "title", loc.at("info"))
        version = self.required_text(info, "version", loc.at("info"))
        servers = self._servers(doc, loc)
        components = self.field_obj(doc, "components", loc)
        cloc = loc.at("components")
        schemes = self._schemes(self.field_obj(components, "securitySchemes", cloc), cloc.at("securitySchemes"))
        schemas_node = self.field_obj(components, "schemas", cloc)
        schemas = {str(k): self.schema(v, cloc.at("schemas", k)) for k, v in schemas_node.items()}
        security = requirements(doc, loc)
        if "paths" not in doc and not spec_version.startswith("3.0"):
            paths: dict[str, Any] = {}
        else:
            paths = self.field_obj(doc, "paths", loc, required=True)
        operations: list[ApiOperation] = []
        for path, item in paths.items():
            operations.extend(self._path_item(path, item, loc.at("paths", path), servers, security))
        webhooks: list[ApiOperation] = []
        for name, item in self.field_obj(doc, "webhooks", loc).items():
            webhooks.extend(self._path_item(str(name), item, loc.at("webhooks", name), servers, security, webhook=True))
        return ApiModel(
            title=title,
            version=version,
            source=root.display,
            spec_version=spec_version,
            servers=servers,
            operations=tuple(operations),
            security_schemes=readonly(schemes),
            security=security,
            schemas=readonly(schemas),
            raw=doc,
            webhooks=tuple(webhooks),
        )

    # -- paths and operations ----------------------------------------------------------------------------
    def _path_item(
        self,
        path: Any,
        item: Any,
        use: Loc,
        servers: tuple[Server, ...],
        security: tuple[SecurityRequirement, ...],
        *,
        webhook: bool = False,
    ) -> list[ApiOperation]:
        if isinstance(path, str) and path.startswith("x-"):
            return []
        if not webhook:
            path = check_path(path, use)
        item, loc = self.follow(item, use)
        self.obj(item, loc, "a path item")
        shared = self._parameters(item, loc, use)
        item_servers = self._servers(item, loc) or servers
        out = []
        for method in METHODS:
            if method not in item:
                continue
            op_use = use.at(method)
            op, oloc = item[method], loc.at(method)
            self.obj(op, oloc, "an operation")
            own = self._parameters(op, oloc, op_use)
            mine = {(p.name, p.location) for p in own}
            parameters = tuple(p for p in shared if (p.name, p.location) not in mine) + own
            body = None
            if op.get("requestBody") is not None:
                body = self._request_body(op["requestBody"], oloc.at("requestBody"), op_use.at("requestBody").pointer)
            effective, declared = effective_security(op, oloc, security)
            out.append(
                ApiOperation(
                    method=method.upper(),
                    path=path,
                    operation_id=self.text(op, "operationId", oloc),
                    summary=self.text(op, "summary", oloc) or self.text(item, "summary", loc),
                    description=self.text(op, "description", oloc) or self.text(item, "description", loc),
                    tags=self.tags(op, oloc),
                    deprecated=self.flag(op, "deprecated", oloc),
                    parameters=parameters,
                    request_body=body,
                    responses=self._responses(op, oloc, op_use),
                    security=effective,
                    security_declared=declared,
                    servers=self._servers(op, oloc) or item_servers,
                    extensions=self.extensions(op),
                    pointer=op_use.pointer,
                )
            )
        return out

    def _servers(self, node: Mapping[str, Any], loc: Loc) -> tuple[Server, ...]:
        out = []
        for i, server in enumerate(self.field_list(node, "servers", loc)):
            sloc = loc.at("servers", i)
            self.obj(server, sloc, "a server")
            out.append(
                Server(
                    url=self.required_text(server, "url", sloc),
                    description=self.text(server, "description", sloc),
                    variables=readonly(self.field_obj(server, "variables", sloc)),
                )
            )
        return tuple(out)

    # -- parameters ----------------------------------------------------------------------------------------
    def _parameters(self, node: Mapping[str, Any], loc: Loc, use: Loc) -> tuple[Parameter, ...]:
        return tuple(
            self._parameter(p, loc.at("parameters", i), use.at("parameters", i).pointer)
            for i, p in enumerate(self.field_list(node, "parameters", loc))
        )

    def _parameter(self, node: Any, use: Loc, pointer: str) -> Parameter:
        node, loc = self.follow(node, use)
        self.obj(node, loc, "a parameter")
        name = self.required_text(node, "name", loc)
        location = ParamLocation(self.choice(node, "in", loc, _LOCATIONS))
        return self._header_like(node, loc, name, location, pointer)

    def _header_like(
        self, node: Mapping[str, Any], loc: Loc, name: str, location: ParamLocation, pointer: str
    ) -> Parameter:
        schema: Mapping[str, Any] = {}
        if node.get("schema") is not None:
            schema = self.schema(node["schema"], loc.at("schema"))
        elif node.get("content") is not None:
            content = self._content(node, loc)
            first = next(iter(content.values()), None)
            if first is not None and first.schema is not None:
                schema = first.schema
        explode = node.get("explode")
        if explode is not None and not isinstance(explode, bool):
            raise loc.at("explode").error(f"'explode' must be true or false, not {kind_of(explode)}")
        style = self.text(node, "style", loc)
        if "content" not in node:
            style, explode = default_style(location.value, style, explode)
        return Parameter(
            name=name,
            location=location,
            required=location is ParamLocation.PATH or self.flag(node, "required", loc),
            schema=schema,
            style=style,
            explode=explode,
            deprecated=self.flag(node, "deprecated", loc),
            description=self.text(node, "description", loc),
            examples=self._examples(node, loc),
            pointer=pointer,
        )

    def _examples(self, node: Mapping[str, Any], loc: Loc) -> tuple[Any, ...]:
        out = []
        if "example" in node:
            out.append(node["example"])
        examples = node.get("examples")
        if isinstance(examples, dict):
            for key, example in examples.items():
                target, _ = self.follow(example, loc.at("examples", key))
                if isinstance(target, dict) and "value" in target:
                    out.append(target["value"])
        return tuple(out)

    # -- bodies and responses ------------------------------------------------------------------------------
    def _content(self, node: Mapping[str, Any], loc: Loc) -> Mapping[str, MediaType]:
        content = self.field_obj(node, "content", loc)
        out = {}
        for media, entry in content.items():
            mloc = loc.at("content", media)
            self.obj(entry, mloc, "a media type")
            schema = self.schema(entry["schema"], mloc.at("schema")) if entry.get("schema") is not None else None
            encoding = self.resolved(self.field_obj(entry, "encoding", mloc), mloc.at("encoding"), names=True)
            out[str(media)] = MediaType(
                media_type=str(media), schema=schema, examples=self._examples(entry, mloc), encoding=readonly(encoding)
            )
        return readonly(out)

    def _request_body(self, node: Any, use: Loc, pointer: str) -> RequestBody:
        node, loc = self.follow(node, use)
        self.obj(node, loc, "a request body")
        if "content" not in node:
            raise loc.error("'content' is required")
        return RequestBody(
            required=self.flag(node, "required", loc),
            content=self._content(node, loc),
            description=self.text(node, "description", loc),
            pointer=pointer,
        )

    def _responses(self, op: Mapping[str, Any], oloc: Loc, op_use: Loc) -> Mapping[str, Response]:
        responses = self.field_obj(op, "responses", oloc)
        out = {}
        for status, node in responses.items():
            key = str(status)
            if key.startswith("x-"):
                continue
            use = oloc.at("responses", key)
            if not STATUS.fullmatch(key):
                raise use.error(f"response status must be 'default', a 3-digit code or like '4XX', not {key!r}")
            node, loc = self.follow(node, use)
            self.obj(node, loc, "a response")
            headers = {}
            for name, header in self.field_obj(node, "headers", loc).items():
                hnode, hloc = self.follow(header, loc.at("headers", name))
                self.obj(hnode, hloc, "a header")
                use_pointer = op_use.at("responses", key, "headers", name).pointer  # where it is used
                headers[str(name)] = self._header_like(hnode, hloc, str(name), ParamLocation.HEADER, use_pointer)
            out[key] = Response(
                status=key,
                description=self.text(node, "description", loc),
                content=self._content(node, loc),
                headers=readonly(headers),
                links=readonly(self.resolved(self.field_obj(node, "links", loc), loc.at("links"), names=True)),
                pointer=op_use.at("responses", key).pointer,
            )
        return readonly(out)

    # -- security schemes ----------------------------------------------------------------------------------
    def _schemes(self, node: Mapping[str, Any], loc: Loc) -> dict[str, SecurityScheme]:
        out = {}
        for name, scheme in node.items():
            scheme, sloc = self.follow(scheme, loc.at(name))
            self.obj(scheme, sloc, "a security scheme")
            kind = self.choice(scheme, "type", sloc, _SCHEME_TYPES)
            flows: dict[str, OAuthFlow] = {}
            if kind == "apiKey":
                self.required_text(scheme, "name", sloc)
                self.choice(scheme, "in", sloc, ("query", "header", "cookie"))
            elif kind == "http":
                self.required_text(scheme, "scheme", sloc)
            elif kind == "oauth2":
                flows = self._flows(self.field_obj(scheme, "flows", sloc, required=True), sloc.at("flows"))
            elif kind == "openIdConnect":
                self.required_text(scheme, "openIdConnectUrl", sloc)
            out[str(name)] = SecurityScheme(
                name=str(name),
                type=kind,
                scheme=(self.text(scheme, "scheme", sloc) or "").lower() or None,
                bearer_format=self.text(scheme, "bearerFormat", sloc),
                location=self.text(scheme, "in", sloc),
                param_name=self.text(scheme, "name", sloc),
                flows=readonly(flows),
                openid_connect_url=self.text(scheme, "openIdConnectUrl", sloc),
                description=self.text(scheme, "description", sloc),
                pointer=loc.at(name).pointer,
            )
        return out

    def _flows(self, node: Mapping[str, Any], loc: Loc) -> dict[str, OAuthFlow]:
        out = {}
        for kind, flow in node.items():
            if str(kind).startswith("x-"):
                continue
            floc = loc.at(kind)
            if kind not in _FLOW_KINDS:
                raise floc.error(f"unknown OAuth2 flow {kind!r} (expected one of {', '.join(_FLOW_KINDS)})")
            self.obj(flow, floc, "an OAuth2 flow")
            scopes = self.field_obj(flow, "scopes", floc)
            out[kind] = OAuthFlow(
                kind=kind,
                authorization_url=self.text(flow, "authorizationUrl", floc),
                token_url=self.text(flow, "tokenUrl", floc),
                refresh_url=self.text(flow, "refreshUrl", floc),
                scopes=readonly({str(k): str(v) for k, v in scopes.items()}),
            )
        return out
