"""``Gateway`` and :func:`serve`: listeners, the live ``Runtime``, reload (SIGHUP / file change / admin), close.

Reload never drops a request: a new ``Runtime`` is built and started beside the old one, swapped in
for new requests, and the old one is closed when its last in-flight request has finished (or after
``reload.drain_s``). A config that fails to load leaves the running one in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apiward.core import ApiwardError, ConfigError, spawn
from apiward.gateway._admin import AdminHandler
from apiward.gateway._config import GatewayConfig, load_config
from apiward.gateway._extensions import AuditTrail, ExtensionContext, ExtensionFactory
from apiward.gateway._http1 import RawRequest, RawResponse, ServerProtocol
from apiward.gateway._metrics import Metrics
from apiward.gateway._runtime import Runtime
from apiward.gateway._tls import server_context
from apiward.state import StateBackend, open_backend

__all__ = ["Gateway", "serve"]

_CARRIED = ("audit",)


def _file_stamp(path: str | None) -> tuple[int, int] | None:
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class Gateway:
    """A running gateway: ``port``, ``admin_port``, ``runtime``, ``reload()``, ``close()``."""

    def __init__(
        self,
        config: GatewayConfig,
        *,
        policy_overrides: dict[str, Any] | None = None,
        extensions: ExtensionFactory | None = None,
    ) -> None:
        self.config = config
        self.metrics = Metrics()
        self.state: StateBackend = open_backend(str(config.data.get("state", "memory://")))
        self.runtime: Runtime | None = None
        self.reloads = 0
        self.last_error: str | None = None
        self.loaded_at = time.time()
        self._overrides = policy_overrides
        self._extensions = extensions
        #: Alerts and other events made outside a request go here: the live config's audit sink.
        self.trail = AuditTrail(lambda: self.runtime.audit_sink if self.runtime is not None else None)
        self.extra_sinks: tuple[Any, ...] = ()
        self._servers: list[asyncio.Server] = []
        self._tasks: list[asyncio.Task[Any]] = []
        self._retiring: set[Runtime] = set()
        self._reload_lock = asyncio.Lock()
        self._sighup = False
        self._connections: weakref.WeakSet[ServerProtocol] = weakref.WeakSet()
        self._open = 0  # client connections currently open (for limits.max_connections)
        self.port = 0
        self.admin_port: int | None = None

    # -- life cycle --------------------------------------------------------------------------------
    async def start(
        self,
        *,
        host: str | None = None,
        port: int | None = None,
        signals: bool = False,
        reuse_port: bool = False,
        admin: bool = True,
    ) -> None:
        """Listen and serve. ``reuse_port`` lets several processes share the port (SO_REUSEPORT);
        ``admin=False`` skips the admin listener (e.g. in all but one of those processes)."""
        extra = self.extra_sinks
        if self._extensions is not None and not extra:
            ctx = ExtensionContext(
                config=self.config, state=self.state, registry=self.metrics.registry, trail=self.trail
            )
            extra = tuple(self._extensions(ctx))
        runtime = Runtime(
            self.config,
            state=self.state,
            metrics=self.metrics,
            policy_overrides=self._overrides,
            extra_sinks=extra,
        )
        # Started only once everything is built: a config error leaves nothing running.
        self.extra_sinks = extra
        for sink in extra:
            await sink.start()
        await runtime.start()
        self.runtime = runtime
        self.metrics.set_version(self.config.version)
        listen = self.config.section("listen")
        tls = listen.get("tls")
        context = server_context(tls, config_dir=self.config.config_dir) if tls else None
        loop = asyncio.get_running_loop()
        bind_host = host if host is not None else str(listen.get("host", "127.0.0.1"))
        bind_port = port if port is not None else int(listen.get("port", 8080))
        try:
            server = await loop.create_server(
                lambda: self._client_connection(tls=context is not None),
                bind_host,
                bind_port,
                ssl=context,
                backlog=2048,
                reuse_address=True,
                reuse_port=reuse_port or None,
            )
        except OSError as exc:
            await self._close_extensions()
            await runtime.aclose()
            raise ConfigError(
                f"cannot listen on {bind_host}:{bind_port}: {exc.strerror or exc}", pointer="listen"
            ) from exc
        self._servers.append(server)
        self.port = server.sockets[0].getsockname()[1]
        admin_section = self.config.section("admin") if admin else {}
        if admin_section:
            handler = AdminHandler(
                self, token=str(admin_section["token"]), public_probes=bool(admin_section.get("public_probes"))
            )
            try:
                admin_server = await loop.create_server(
                    lambda: self._track(ServerProtocol(handler, self._limits())),
                    str(admin_section.get("host", "127.0.0.1")),
                    int(admin_section["port"]),
                )
            except OSError as exc:
                await self.close()
                raise ConfigError(f"cannot listen for admin: {exc.strerror or exc}", pointer="admin") from exc
            self._servers.append(admin_server)
            self.admin_port = admin_server.sockets[0].getsockname()[1]
        reload = self.config.section("reload")
        if self.config.source and reload.get("watch", True):
            self._tasks.append(spawn(self._watch(float(reload.get("interval_s", 2))), name="apiward-gateway-watch"))
        if signals and threading.current_thread() is threading.main_thread():
            loop.add_signal_handler(signal.SIGHUP, self._on_sighup)
            self._sighup = True

    def _client_connection(self, *, tls: bool) -> ServerProtocol:
        limits = self._limits()
        refuse = self._open >= limits.max_connections
        self._open += 1
        self.metrics.connections.inc()
        return self._track(ServerProtocol(self._handle, limits, tls=tls, refuse=refuse, on_lost=self._lost))

    def _lost(self) -> None:
        self._open -= 1
        self.metrics.connections.dec()

    def _track(self, conn: ServerProtocol) -> ServerProtocol:
        self._connections.add(conn)
        return conn

    def _limits(self) -> Any:
        runtime = self.runtime
        if runtime is None:  # pragma: no cover - listeners start after the runtime
            raise RuntimeError("gateway not started")
        return runtime.limits

    async def _handle(self, raw: RawRequest) -> RawResponse:
        runtime = self.runtime
        if runtime is None:  # pragma: no cover
            return RawResponse(503, close=True)
        runtime.inflight += 1
        try:
            return await runtime.handle(raw)
        finally:
            runtime.inflight -= 1
            if runtime.retired and runtime.inflight == 0 and runtime in self._retiring:
                self._retiring.discard(runtime)
                self._tasks.append(spawn(runtime.aclose(), name="apiward-gateway-retire"))

    async def serve_forever(self) -> None:
        await asyncio.gather(*(s.serve_forever() for s in self._servers))

    async def close(self) -> None:
        """Stop listening, let in-flight requests finish (up to ``reload.drain_s``), release everything."""
        if self._sighup:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            self._sighup = False
        for server in self._servers:
            server.close()
        drain = float(self.config.section("reload").get("drain_s", 30))
        deadline = time.monotonic() + drain
        runtimes = [r for r in (self.runtime, *self._retiring) if r is not None]
        for conn in list(self._connections):
            conn.shutdown()
        while any(r.inflight for r in runtimes) and time.monotonic() < deadline:  # noqa: ASYNC110 - bounded poll
            await asyncio.sleep(0.05)
        for conn in list(self._connections):
            conn.abort()
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        # Extensions first: what they still hold (queued events, alerts) reaches the audit sink before it closes.
        await self._close_extensions()
        for runtime in runtimes:
            await runtime.aclose()
        self._retiring.clear()
        self.runtime = None
        await self.state.aclose()

    async def _close_extensions(self) -> None:
        for sink in self.extra_sinks:
            with contextlib.suppress(Exception):
                await sink.aclose()
        self.extra_sinks = ()

    # -- reload ------------------------------------------------------------------------------------
    def _on_sighup(self) -> None:
        self._tasks.append(spawn(self.reload(), name="apiward-gateway-sighup"))

    async def _watch(self, interval: float) -> None:
        stamps = {p: _file_stamp(p) for p in self._watched()}
        while True:
            await asyncio.sleep(interval)
            now = {p: _file_stamp(p) for p in self._watched()}
            if now != stamps:
                stamps = now
                await self.reload()
                stamps = {p: _file_stamp(p) for p in self._watched()}

    def _watched(self) -> list[str]:
        return [p for p in (self.config.source, self.config.spec_path()) if p]

    async def reload(self) -> bool:
        """Load the config file again; True when the new config (or the same one) is live."""
        if not self.config.source:
            return True
        async with self._reload_lock:
            try:
                config = load_config(self.config.source)
                if str(config.data.get("state")) != str(self.config.data.get("state")):
                    raise ConfigError("changing 'state' needs a restart", source=config.source, pointer="state")
                # Building compiles validators and rule sets (CPU-bound, seconds for a large spec or the
                # threat rules): do it off the event loop so traffic keeps flowing meanwhile.
                carried = self._carry_over(config)
                fresh = await asyncio.to_thread(
                    Runtime,
                    config,
                    state=self.state,
                    metrics=self.metrics,
                    policy_overrides={**(self._overrides or {}), **carried},
                    extra_sinks=self.extra_sinks,
                )
                fresh.inherited = frozenset(id(p) for p in carried.values())
                await fresh.start()
            except ApiwardError as exc:
                self.last_error = str(exc)
                self.metrics.reloads.labels("error").inc()
                return False
            old, self.runtime = self.runtime, fresh
            self.config = config
            self.reloads += 1
            self.loaded_at = time.time()
            self.last_error = None
            self.metrics.set_version(config.version)
            self.metrics.reloads.labels("ok").inc()
            if old is not None:
                old.handed_over = fresh.inherited
                old.retired = True
                if old.inflight == 0:
                    await old.aclose()
                else:
                    self._retiring.add(old)
                    drain = float(config.section("reload").get("drain_s", 30))
                    self._tasks.append(spawn(self._force_retire(old, drain), name="apiward-gateway-drain"))
            return True

    def _carry_over(self, config: GatewayConfig) -> dict[str, Any]:
        """Policies to keep across a reload because their options did not change.

        The audit policy owns an event sink (a spool file and a writer thread); two sinks on one spool
        while the old runtime drains would interleave writes, so an unchanged audit policy moves over.
        """
        old = self.runtime
        if old is None:
            return {}
        carried: dict[str, Any] = {}
        for name in _CARRIED:
            if config.policies.get(name) != old.config.policies.get(name):
                continue
            for policy in old.pipeline.policies:
                if getattr(policy, "name", None) == name:
                    carried[name] = policy
        return carried

    async def _force_retire(self, runtime: Runtime, drain: float) -> None:
        await asyncio.sleep(drain)
        if runtime in self._retiring:
            self._retiring.discard(runtime)
            await runtime.aclose()

    # -- status ------------------------------------------------------------------------------------
    async def ready(self) -> tuple[bool, str | None]:
        if self.runtime is None:
            return False, "not started"
        ping = getattr(self.state, "ping", None)
        if ping is not None:
            try:
                await ping()
            except ApiwardError:
                return False, "state backend unreachable"
        return True, None

    def config_status(self) -> dict[str, Any]:
        return {
            "version": self.config.version,
            "source": self.config.source,
            "loaded_at": self.loaded_at,
            "reloads": self.reloads,
            "last_error": self.last_error,
            "policies": list(self.runtime.pipeline.names) if self.runtime else [],
        }


async def serve(
    config: GatewayConfig | str | Path | Mapping[str, Any],
    *,
    host: str | None = None,
    port: int | None = None,
    signals: bool = False,
    reuse_port: bool = False,
    admin: bool = True,
    policy_overrides: dict[str, Any] | None = None,
    extensions: ExtensionFactory | None = None,
) -> Gateway:
    """Start a gateway and return its handle (``.port``, ``.admin_port``, ``await .close()``).

    ``extensions`` builds extra event sinks once the gateway's state and metrics exist (see ``_extensions``).
    """
    if not isinstance(config, GatewayConfig):
        config = load_config(config)
    gateway = Gateway(config, policy_overrides=policy_overrides, extensions=extensions)
    await gateway.start(host=host, port=port, signals=signals, reuse_port=reuse_port, admin=admin)
    return gateway
