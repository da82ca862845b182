"""``Runtime``: everything one loaded config needs at request time, and the proxy/decision handlers.

A reload builds a new ``Runtime`` and swaps it in; requests already running keep the one they started
with, which is closed once they have all finished (or after the drain timeout).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import ssl
import time
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from apiward.core import Decision, HttpRequest, HttpResponse, SpecError, TargetError
from apiward.gateway._build import build_pipeline
from apiward.gateway._clientip import ClientIp
from apiward.gateway._config import GatewayConfig, check_routes
from apiward.gateway._decision import allow_answer, deny_answer, original_request
from apiward.gateway._exchange import Exchange
from apiward.gateway._headers import forwarded_headers, strip_hop_by_hop
from apiward.gateway._http1 import Limits, RawRequest, RawResponse
from apiward.gateway._metrics import Metrics
from apiward.gateway._pipeline import Pipeline
from apiward.gateway._policy import Deny
from apiward.gateway._problem import PROBLEM_TYPE, problem_body
from apiward.gateway._upstream import UpstreamClient, UpstreamTooLarge

if TYPE_CHECKING:
    from apiward.spec import ApiModel
    from apiward.state import StateBackend

__all__ = ["Runtime"]

_VIA = "1.1 apiward"
_DROP_UPSTREAM = frozenset({"host", "content-length", "expect"})
_DROP_DOWNSTREAM = frozenset({"content-length"})
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_BODY_READERS = frozenset({"response_validate", "response_mask", "response_scrub"})
_DROP_DOWNSTREAM_HEAD: frozenset[str] = frozenset()  # a HEAD answer keeps the upstream's Content-Length


def load_model(config: GatewayConfig) -> ApiModel | None:
    path = config.spec_path()
    if path is None:
        return None
    from apiward.spec import load

    try:
        return load(path, allow_remote_refs=False)
    except SpecError:
        raise
    except OSError as exc:
        raise SpecError(f"cannot read the spec: {exc.strerror or exc}", source=path) from exc


def deny_response(deny: Deny, extra_headers: dict[str, str]) -> RawResponse:
    if deny.is_answer:  # e.g. a preflight's 204: no problem body, no Content-Type
        return RawResponse(deny.status, [*extra_headers.items(), *deny.headers.items()])
    headers = [("Content-Type", PROBLEM_TYPE)]
    headers.extend(extra_headers.items())
    headers.extend(deny.headers.items())
    return RawResponse(deny.status, headers, problem_body(deny.status, deny.title, detail=deny.detail))


class Runtime:
    def __init__(
        self,
        config: GatewayConfig,
        *,
        state: StateBackend,
        metrics: Metrics,
        policy_overrides: dict[str, Any] | None = None,
        extra_sinks: tuple[Any, ...] = (),
    ) -> None:
        self.config = config
        self.state = state
        self.metrics = metrics
        self.model = load_model(config)
        self.base_path = _base_path(config, self.model)
        check_routes(config, self.model)
        self.http = httpx.AsyncClient(timeout=10.0, follow_redirects=False)
        self.pipeline: Pipeline = build_pipeline(
            config, model=self.model, state=state, http=self.http, overrides=policy_overrides, extra_sinks=extra_sinks
        )
        #: The audit policy's own sink (the audit trail), for events made outside a request (alerts).
        self.audit_sink: Any = next((p.sink for p in self.pipeline.policies if p.name == "audit"), None)
        limits = config.section("limits")
        self.limits = Limits(
            max_url_bytes=int(limits.get("max_url_bytes", 8192)),
            max_header_bytes=int(limits.get("max_header_bytes", 16384)),
            max_headers_total_bytes=int(limits.get("max_headers_total_bytes", 65536)),
            max_header_count=int(limits.get("max_header_count", 100)),
            max_body_bytes=int(limits.get("max_body_bytes", 10 * 1024 * 1024)),
            header_timeout_s=float(limits.get("header_timeout_s", 10)),
            keepalive_timeout_s=float(limits.get("keepalive_timeout_s", 30)),
            max_connections=int(limits.get("max_connections", 10000)),
        )
        trusted = list(config.data.get("trusted_proxies") or [])
        self.decision_mode = config.mode == "decision"
        if self.decision_mode and not trusted:
            trusted = ["127.0.0.0/8", "::1/128"]  # nginx/Envoy beside the gateway pass the client address
        self.client_ip = ClientIp(trusted)
        flavor = str(config.section("decision").get("flavor", "auto"))
        self.flavor = flavor
        self.upstream: UpstreamClient | None = None
        up = config.section("upstream")
        self.preserve_host = bool(up.get("preserve_host", False))
        if not self.decision_mode and up:
            context = None
            if up.get("ca_file"):
                context = ssl.create_default_context(cafile=str(up["ca_file"]))
            self.upstream = UpstreamClient(
                str(up["url"]),
                max_idle=int(up.get("max_idle_connections", 64)),
                connect_timeout_s=float(up.get("connect_timeout_s", 5)),
                read_timeout_s=float(up.get("timeout_s", 30)),
                max_body=int(up.get("max_response_bytes", 16 * 1024 * 1024)),
                ssl_context=context,
            )
        # Bodies over upstream.max_response_bytes are streamed through, unless a response policy needs to
        # read the whole body — then they are refused (502) rather than passed unchecked.
        self.stream_ok = not set(self.pipeline.names) & _BODY_READERS
        self._rid_prefix = uuid.uuid4().hex[:12]
        self._rids = itertools.count(1)
        self.inflight = 0
        self.retired = False
        #: Policy objects taken over from the previous runtime on reload (already started) ...
        self.inherited: frozenset[int] = frozenset()
        #: ... and those handed over to the next one (not closed with this runtime).
        self.handed_over: frozenset[int] = frozenset()

    async def start(self) -> None:
        for policy in self.pipeline.policies:
            start = getattr(policy, "start", None)
            if start is not None and id(policy) not in self.inherited:
                await start()

    async def aclose(self) -> None:
        await self.pipeline.aclose(skip=self.handed_over)
        if self.upstream is not None:
            await self.upstream.aclose()
        await self.http.aclose()

    # -- request handling --------------------------------------------------------------------------
    def _exchange(self, method: str, target: str, raw: RawRequest) -> Exchange:
        path, _, query = target.partition("?")
        path = path.partition("#")[0]
        request = HttpRequest(
            method=method,
            path=path,
            query=query,
            headers=tuple(raw.headers),
            body=raw.body,
            client_ip=self.client_ip.resolve(raw.client_ip, raw.headers),
        )
        exchange = Exchange(request=request)
        exchange.notes["http_version"] = raw.http_version
        # One id per request: the client's X-Request-Id when it is a plain token, else ours; sent upstream,
        # returned to the client and recorded in the audit event, so the three can be joined.
        offered = request.header("x-request-id")
        rid = offered if offered and _REQUEST_ID.fullmatch(offered) else f"{self._rid_prefix}{next(self._rids):x}"
        exchange.notes["request_id"] = rid
        exchange.upstream_headers["X-Request-Id"] = rid
        exchange.response_headers["X-Request-Id"] = rid
        if self.model is not None and path.startswith("/"):
            base = self.base_path
            if base:
                if path != base and not path.startswith(base + "/"):
                    exchange.notes["route_path"] = ""  # outside the API: unknown path
                    return exchange
                path = path[len(base) :] or "/"
                exchange.notes["route_path"] = path
            match = self.model.match(method, path)
            if match is None and method == "HEAD":  # HEAD is GET without a body (RFC 9110 §9.3.2)
                match = self.model.match("GET", path)
            if match is not None:
                exchange.operation = match.operation
                exchange.path_params = dict(match.path_params)
        return exchange

    async def handle(self, raw: RawRequest) -> RawResponse:
        if self.decision_mode:
            return await self._decide(raw)
        exchange = self._exchange(raw.method, raw.target, raw)
        try:
            return await self._proxy(raw, exchange)
        except asyncio.CancelledError:
            # The client hung up: record it (status 499, as nginx does) and let the cancellation go on.
            exchange.notes["client_gone"] = True
            with contextlib.suppress(Exception):
                await self.pipeline.on_complete(exchange, status=499, deny=None)
            raise

    async def _proxy(self, raw: RawRequest, exchange: Exchange) -> RawResponse:
        deny = await self.pipeline.on_request(exchange)
        if deny is None:
            response = await self._forward(raw, exchange)
            stream = response.stream
            if exchange.response is None:  # the gateway's own 502/504: decorated like a denial
                return await self._finish(exchange, await self._generated(exchange, response), None)
            deny = await self.pipeline.on_response(exchange)
            if deny is None:
                response = self._client_response(exchange, streamed=stream is not None)
                response.stream = stream
                return await self._finish(exchange, response, None)
            if stream is not None:
                await stream.aclose()  # type: ignore[attr-defined]  # an async generator
        return await self._finish(exchange, await self._generated(exchange, deny_response(deny, {})), deny)

    async def _generated(self, exchange: Exchange, answer: RawResponse) -> RawResponse:
        """An answer the gateway made (denial, preflight, upstream error) with the security and CORS
        headers the decorating response policies add, and the per-request headers (``X-Request-Id``)."""
        exchange.response = HttpResponse(status=answer.status, headers=tuple(answer.headers), body=answer.body)
        await self.pipeline.decorate(exchange)
        return self._client_response(exchange)

    async def _forward(self, raw: RawRequest, exchange: Exchange) -> RawResponse:
        upstream = self.upstream
        if upstream is None:  # pragma: no cover - config validation requires an upstream in proxy mode
            return RawResponse(502, [("Content-Type", PROBLEM_TYPE)], problem_body(502))
        request = exchange.request
        headers = strip_hop_by_hop(raw.headers, drop=_DROP_UPSTREAM)
        headers = forwarded_headers(
            headers,
            client_ip=request.client_ip,
            proto="https" if raw.tls else "http",
            host=request.header("host"),
            via=_VIA,
        )
        if exchange.upstream_headers:
            replace = {k.lower() for k in exchange.upstream_headers}
            headers = [(k, v) for k, v in headers if k.lower() not in replace]
            headers.extend(exchange.upstream_headers.items())
        try:
            answer = await upstream.request(
                request.method,
                request.target,
                headers,
                request.body,
                stream_ok=self.stream_ok,
                host=request.header("host") if self.preserve_host else None,
            )
        except UpstreamTooLarge:
            exchange.notes["upstream_error"] = "response too large"
            return RawResponse(
                502, [("Content-Type", PROBLEM_TYPE)], problem_body(502, detail="Upstream answer too large.")
            )
        except TargetError as exc:
            timeout = "timed out" in str(exc)
            exchange.notes["upstream_error"] = "timeout" if timeout else "unavailable"
            status = 504 if timeout else 502
            return RawResponse(status, [("Content-Type", PROBLEM_TYPE)], problem_body(status))
        self.metrics.upstream_latency.observe(answer.elapsed_ms / 1000)
        exchange.response = HttpResponse(
            status=answer.status, headers=answer.headers, body=answer.body, elapsed_ms=answer.elapsed_ms
        )
        if answer.stream is not None:
            exchange.notes["response_streamed"] = True
        return RawResponse(answer.status, stream=answer.stream)

    @staticmethod
    def _client_response(exchange: Exchange, *, streamed: bool = False) -> RawResponse:
        response = exchange.response
        if response is None:  # pragma: no cover - the caller checked
            return RawResponse(502)
        keep_length = streamed or exchange.request.method == "HEAD"  # the upstream's length still holds
        headers = strip_hop_by_hop(response.headers, drop=_DROP_DOWNSTREAM_HEAD if keep_length else _DROP_DOWNSTREAM)
        if exchange.response_headers:
            replace = {k.lower() for k in exchange.response_headers}
            headers = [(k, v) for k, v in headers if k.lower() not in replace]
            headers.extend(exchange.response_headers.items())
        return RawResponse(response.status, headers, response.body)

    async def _finish(self, exchange: Exchange, response: RawResponse, deny: Deny | None) -> RawResponse:
        exchange.notes["response_bytes"] = len(response.body)
        await self.pipeline.on_complete(exchange, status=response.status, deny=deny)
        decision = exchange.notes.get("decision", Decision.ALLOW)
        self.metrics.observe(
            decision=str(decision),
            operation=exchange.route_key or "unmatched",
            status=response.status,
            seconds=time.perf_counter() - exchange.started,
            rules=exchange.matched_rules,
        )
        return response

    # -- decision mode -----------------------------------------------------------------------------
    async def _decide(self, raw: RawRequest) -> RawResponse:
        method, target, nginx = original_request(raw.method, raw.target, raw.headers, flavor=self.flavor)
        exchange = self._exchange(method, target, raw)
        exchange.notes["decision_mode"] = "nginx" if nginx else "envoy"
        deny = await self.pipeline.on_request(exchange)
        if deny is None:
            return await self._finish(exchange, allow_answer(exchange), None)
        return await self._finish(exchange, deny_answer(deny, exchange, nginx=nginx), deny)


def _base_path(config: GatewayConfig, model: ApiModel | None) -> str:
    """The path prefix in front of the spec's paths: ``base_path`` from the config, else the path of the
    spec's server URL(s) when they all agree (``https://api.example.com/v1`` → ``/v1``)."""
    configured = config.data.get("base_path")
    if configured is not None:
        return "/" + str(configured).strip("/") if str(configured).strip("/") else ""
    if model is None or not model.servers:
        return ""
    paths = {urlsplit(server.url).path.rstrip("/") for server in model.servers}
    if len(paths) != 1:
        return ""
    (only,) = paths
    return only if only.startswith("/") and "{" not in only else ""
