"""``Scanner``: authenticate the identities, exercise every operation (chaining ids), send negative variants,
run the checks in their fixed order, verify that every identity still works, and return a ``ScanResult``."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from apiward.core import ConfigError, TargetError
from apiward.scan._auth import Auth, build_auth
from apiward.scan._client import BudgetExhausted, ScopedClient
from apiward.scan._config import AuthConfig, ScanConfig
from apiward.scan._context import Sample, ScanContext
from apiward.scan._generate import negative_values
from apiward.scan._oob import CallbackServer
from apiward.scan._plan import phase_of, plan, self_sensitive
from apiward.scan._request import Exchange, RequestSpec
from apiward.scan._result import ScanEvent, ScanResult
from apiward.scan.checks import Check, builtin_checks
from apiward.spec import ApiModel, ApiOperation, ParamLocation

__all__ = ["Scanner"]

_NEGATIVES_PER_OP = 3


class Scanner:
    """Scan ``model`` served at ``target`` with the identities of ``config``.

    ``on_event`` receives :class:`ScanEvent` progress; the scanner itself never prints.
    """

    def __init__(
        self,
        model: ApiModel,
        *,
        target: str | None = None,
        config: ScanConfig | None = None,
        on_event: Callable[[ScanEvent], None] | None = None,
        checks: Sequence[Check] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.model = model
        self.config = config or ScanConfig()
        target = target or self.config.target
        if not target:
            raise ConfigError("no target: pass --target URL or set 'target' in the scan config")
        self.target = target.rstrip("/")
        self.on_event = on_event
        self.transport = transport
        selected = list(checks) if checks is not None else builtin_checks()
        by_ref = {ref.upper(): c.id for c in selected for ref in (c.id, c.meta.name)}
        for ref in (*self.config.checks, *self.config.exclude_checks):
            if ref.upper() not in by_ref:
                raise ConfigError(f"unknown check {ref!r} (see 'apiward scan --list-checks')", pointer="checks")
        wanted = {by_ref[r.upper()] for r in self.config.checks}
        excluded = {by_ref[r.upper()] for r in self.config.exclude_checks}
        self.checks = [c for c in selected if (not wanted or c.id in wanted) and c.id not in excluded]
        self._findings = 0

    def _emit(self, event: ScanEvent) -> None:
        if event.kind == "finding":
            self._findings += 1
        if self.on_event is not None:
            self.on_event(event)

    async def run(self) -> ScanResult:
        started = time.monotonic()
        cfg = self.config
        client = ScopedClient(
            self.target,
            concurrency=cfg.concurrency,
            rate_limit=cfg.rate_limit,
            timeout=cfg.timeout,
            retries=cfg.retries,
            max_requests=cfg.max_requests,
            max_seconds=cfg.max_seconds,
            transport=self.transport,
        )
        oob = await CallbackServer().start()
        budget_hit = False
        try:
            auths = self._identities()
            ctx = ScanContext(self.model, client, cfg, auths, emit=self._emit)
            ctx.oob = oob
            self._emit(ScanEvent(kind="phase", message="authenticating identities"))
            for _, auth in auths:
                await auth.ready(client)
            try:
                await self._exercise(ctx)
                await self._negatives(ctx)
                await self._run_checks(ctx)
            except BudgetExhausted as exc:
                budget_hit = True
                self._emit(ScanEvent(kind="warning", message=str(exc)))
            client.extend_budget(requests=10 * len(auths) + 10, seconds=60)
            identities_ok = await self._verify_identities(ctx, auths)
        finally:
            await oob.stop()
            await client.aclose()
        findings = tuple(sorted(ctx.findings.values(), key=lambda f: f.sort_key))
        duration = time.monotonic() - started
        tested = [c for c in ctx.coverage.values() if c.requests]
        stats = {
            "requests": client.requests,
            "duration_s": round(duration, 3),
            "requests_per_s": round(client.requests / duration, 1) if duration else 0.0,
            "operations": len(ctx.coverage),
            "operations_succeeded": sum(c.succeeded for c in tested),
            "coverage": {k: v.to_dict() for k, v in sorted(ctx.coverage.items())},
            "not_tested": dict(ctx.not_tested),
            "checks_not_run": dict(sorted(ctx.checks_not_run.items())),
            "checks": [c.id for c in self.checks],
            "identities_ok": identities_ok,
            "out_of_scope_refused": len(client.blocked),
            "budget_exhausted": budget_hit,
        }
        self._emit(ScanEvent(kind="done", requests=client.requests, findings=len(findings)))
        return ScanResult(findings=findings, stats=stats, coverage=ctx.coverage, not_tested=dict(ctx.not_tested))

    def _identities(self) -> list[tuple[str, Auth]]:
        seen: dict[str, Auth] = {}
        for ident in self.config.identities:
            seen.setdefault(ident.role, build_auth(ident.name, ident.auth))
        if not any(role != "anonymous" for role in seen):
            seen.setdefault("user", Auth("anonymous", AuthConfig()))
        return list(seen.items())

    async def _exercise(self, ctx: ScanContext) -> None:
        ops = ctx.operations()
        total = len(ops)
        done = 0
        self._emit(ScanEvent(kind="phase", message="exercising operations", total=total))
        user = ctx.user
        errors: list[str] = []
        for wave in plan(ops):
            await ctx.gather(self._exercise_safely(ctx, op, user, errors) for op in wave)
            done += len(wave)
            self._emit(
                ScanEvent(
                    kind="operation", done=done, total=total, requests=ctx.client.requests, findings=self._findings
                )
            )

        if errors and not ctx.log:  # nothing ever answered: the target is not there
            raise TargetError(f"the target did not answer: {errors[0]}")

    async def _exercise_safely(self, ctx: ScanContext, op: ApiOperation, user: Auth | None, errors: list[str]) -> None:
        """One operation's failure (timeout, reset) is recorded against it; the scan goes on."""
        try:
            await self._exercise_one(ctx, op, user)
        except TargetError as exc:
            errors.append(str(exc))
            ctx.skip(op, f"not tested: {exc}")

    async def _exercise_one(self, ctx: ScanContext, op: ApiOperation, user: Auth | None) -> None:
        auth = user
        reason = self_sensitive(op)
        if reason is not None:
            auth = await ctx.throwaway(fresh=True)
            if auth is None:
                ctx.skip(op, f"not tested: {reason} and no throwaway account recipe is configured")
                return
        login = self._login_spec(ctx, op)
        spec = login or ctx.build(op, auth)
        if spec is not None and auth is not None and auth.credentials and isinstance(spec.json, dict):
            spec = spec.replace(json=_with_own_password(spec.json, auth.credentials[1]))
        if spec is None:
            ctx.skip(op, "not tested: no resource created by the scanner to use (identity safety)")
            return
        ex = await ctx.send(spec, auth)
        if not ex.ok and spec.operation is not None:
            fuller = ctx.build(op, auth, full=True)
            if fuller is not None and fuller != spec:
                spec, ex = fuller, await ctx.send(fuller, auth)
        if not ex.ok:
            local = ctx.callback_urls(spec)
            if local is not None:
                spec, ex = local, await ctx.send(local, auth)
        if ex.ok and login is not None:
            await self._login_sample(ctx, op, login)
        elif ex.ok:
            resource = ctx.add_resource(op, spec, ex, auth) if phase_of(op) == 0 else None
            if reason is None:
                ctx.samples[op.ref.key] = Sample(op=op, spec=spec, exchange=ex, resource=resource)

    async def _login_sample(self, ctx: ScanContext, op: ApiOperation, recipe: RequestSpec) -> None:
        """The login operation's sample (which later checks mutate: injections, negative values) uses a throwaway
        account, so no scanning identity ever collects failed logins; without one, login is not attacked."""
        user = ctx.user
        throwaway = await ctx.throwaway(fresh=True)
        if throwaway is None or not throwaway.credentials or user is None or not isinstance(recipe.json, dict):
            ctx.not_tested[f"{op.ref.key} (attacks)"] = "login is not attacked without a throwaway account recipe"
            return
        name, password = throwaway.credentials
        own = {v for k, v in recipe.json.items() if isinstance(v, str) and "pass" not in k.lower()}
        body = {
            k: password if "pass" in k.lower() else (name if isinstance(v, str) and v in own else v)
            for k, v in recipe.json.items()
        }
        spec = recipe.replace(json=body)
        ex = await ctx.send(spec, None)
        if ex.ok:
            ctx.samples[op.ref.key] = Sample(op=op, spec=spec, exchange=ex)

    def _login_spec(self, ctx: ScanContext, op: ApiOperation) -> RequestSpec | None:
        """The login operation is exercised with the user's own recipe (never with guessed credentials)."""
        user = ctx.user
        if user is None or user.type != "login" or op.method != "POST":
            return None
        if str(user.config.get("url", "")).split("?", 1)[0] != op.path:
            return None
        body = user.config.get("body")
        form = user.config.get("form")
        if form is not None:
            return RequestSpec(
                method="POST", path=op.path, form=tuple((k, str(v)) for k, v in form.items()), operation=op
            )
        return RequestSpec(method="POST", path=op.path, json=body if body is not None else {}, operation=op)

    async def _negatives(self, ctx: ScanContext) -> None:
        self._emit(ScanEvent(kind="phase", message="sending negative variants"))
        ctx.phase = "negative"
        jobs: list[tuple[RequestSpec]] = []
        for key, sample in ctx.samples.items():
            op = sample.op
            if op.method not in ("GET", "POST", "PUT", "PATCH") or key in ctx.not_tested:
                continue
            for variant in _variants(sample)[:_NEGATIVES_PER_OP]:
                jobs.append((variant,))

        async def one(variant: RequestSpec) -> None:
            try:
                await ctx.send(variant, ctx.user)
            except TargetError:  # a variant that hangs or resets the connection is just not observed
                return

        await ctx.gather(one(v) for (v,) in jobs)

    async def _run_checks(self, ctx: ScanContext) -> None:
        ctx.phase = "check"
        total = len(self.checks)
        for index, chk in enumerate(self.checks, 1):
            self._emit(
                ScanEvent(
                    kind="check",
                    message=f"{chk.id} {chk.meta.name}",
                    done=index,
                    total=total,
                    requests=ctx.client.requests,
                    findings=self._findings,
                )
            )
            try:
                await chk.run(ctx)
            except BudgetExhausted:
                raise
            except TargetError as exc:
                ctx.checks_not_run[chk.id] = f"stopped: {exc}"
                self._emit(ScanEvent(kind="warning", message=f"{chk.id}: {exc}"))
            except Exception as exc:  # one broken check must not sink the whole scan; it is reported
                ctx.checks_not_run[chk.id] = f"failed: {type(exc).__name__}: {exc}"
                self._emit(ScanEvent(kind="warning", message=f"{chk.id} failed: {type(exc).__name__}: {exc}"))

    async def _verify_identities(self, ctx: ScanContext, auths: list[tuple[str, Auth]]) -> dict[str, bool]:
        """Every identity must still log in and reach what it reached at the start (identity safety)."""
        result: dict[str, bool] = {}
        probe = next(
            (
                s
                for s in ctx.samples.values()
                if s.op.method == "GET" and s.op.requires_auth and s.resource is None and "{" not in s.op.path
            ),
            None,
        )
        for role, auth in auths:
            if auth.anonymous:
                continue
            try:
                if auth.needs_fetch:
                    auth.token = None
                    await auth.ready(ctx.client)
                ok = True
                if probe is not None:
                    ex: Exchange = await ctx.client.send(probe.spec, auth)
                    ok = ex.status not in (401, 403) or role == "low"
                result[auth.name] = ok
            except (TargetError, BudgetExhausted):
                result[auth.name] = False
        return result


def _with_own_password(body: dict[str, Any], password: str) -> dict[str, Any]:
    """A throwaway account's body with its real current password where one is asked for."""
    out = dict(body)
    for key in out:
        lowered = key.lower()
        if "password" in lowered and any(w in lowered for w in ("current", "old", "existing")):
            out[key] = password
    return out


def _variants(sample: Sample) -> list[RequestSpec]:
    spec, op = sample.spec, sample.op
    out: list[RequestSpec] = []
    for p in op.parameters:
        if p.location is ParamLocation.QUERY:
            for bad in negative_values(p.schema):
                out.append(spec.with_query(p.name, str(bad)))
                break
    if isinstance(spec.json, dict):
        props = {}
        if op.request_body:
            for media in op.request_body.content.values():
                props = dict((media.schema or {}).get("properties", {}))
        for name in list(spec.json)[:3]:
            for bad in negative_values(props.get(name)):
                out.append(spec.replace(json={**spec.json, name: bad}))
                break
        out.append(spec.replace(json=None, content=b"{not json", content_type="application/json"))
    return out
