"""The shared JWT probe: the user's captured token and a protected request that proves acceptance."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from apiward.scan._auth import Auth
from apiward.scan._context import Sample, ScanContext
from apiward.scan._jwt import Jwt, b64e
from apiward.scan._request import Exchange

__all__ = ["JwtProbe", "jwt_probe"]


@dataclass(slots=True)
class JwtProbe:
    ctx: ScanContext
    auth: Auth
    token: Jwt
    sample: Sample
    _unverified: bool | None = field(default=None)

    async def accepted(self, token: str) -> Exchange | None:
        """The exchange when ``token`` is accepted on the protected request (2xx), else ``None``."""
        spec = self.auth.apply_token(self.sample.spec, token)
        ex = await self.ctx.send(spec, None, refresh=False)
        return ex if ex.ok else None

    async def signature_unverified(self) -> bool:
        """Control: is a token with a random signature accepted? Then the more specific attacks prove little."""
        if self._unverified is None:
            garbage = f"{self.token.signing_input}.{b64e(secrets.token_bytes(32))}"
            self._unverified = await self.accepted(garbage) is not None
        return self._unverified


async def jwt_probe(ctx: ScanContext) -> JwtProbe | None:
    """Build once per scan: needs a JWT-carrying identity and a request anonymous callers are refused."""
    if "jwt_probe" in ctx.cache:
        cached = ctx.cache["jwt_probe"]
        return cached if isinstance(cached, JwtProbe) else None
    ctx.cache["jwt_probe"] = None
    auth = ctx.user
    token = Jwt.parse(auth.token if auth else None)
    if auth is None or token is None:
        return None
    candidates = [s for s in ctx.samples.values() if s.op.method == "GET" and s.exchange.identity == auth.name]
    candidates.sort(key=lambda s: (s.op.path.count("{"), len(s.op.path)))
    for sample in candidates[:8]:
        anon = await ctx.send(sample.spec, None, refresh=False)
        if anon.status in (401, 403):
            probe = JwtProbe(ctx=ctx, auth=auth, token=token, sample=sample)
            ctx.cache["jwt_probe"] = probe
            return probe
    return None
