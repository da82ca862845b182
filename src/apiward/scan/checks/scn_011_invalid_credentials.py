"""SCN-011 invalid-credentials-accepted."""

from __future__ import annotations

import base64
import secrets

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange, RequestSpec
from apiward.scan.checks._base import check
from apiward.spec import SecurityScheme


def _forge(spec: RequestSpec, scheme: SecurityScheme) -> RequestSpec | None:
    junk = "apiward-invalid-" + secrets.token_hex(8)
    if scheme.type == "apiKey" and scheme.param_name:
        if scheme.location == "query":
            return spec.with_query(scheme.param_name, junk)
        if scheme.location == "cookie":
            return spec.with_cookie(scheme.param_name, junk)
        return spec.with_header(scheme.param_name, junk)
    if scheme.type == "http" and (scheme.scheme or "").lower() == "basic":
        raw = base64.b64encode(f"apiward-nobody:{junk}".encode()).decode()
        return spec.with_header("Authorization", f"Basic {raw}")
    if scheme.type in ("oauth2", "openIdConnect") or (scheme.type == "http" and scheme.scheme):
        return spec.with_header("Authorization", f"Bearer {junk}")
    return None


@check(
    id="SCN-011",
    name="invalid-credentials-accepted",
    title="Invalid credentials accepted",
    owasp=OwaspApi2023.API2,
    cwe=287,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Validate every credential (token signature, API key lookup, password) before serving the request.",
    category="authentication",
    wfc="311",
)
async def invalid_credentials(ctx: ScanContext) -> None:
    """A made-up credential is accepted, for any security scheme the description declares.

    For each declared scheme (HTTP basic/bearer, API key in header/query/cookie, OAuth2, OpenID Connect)
    the scanner picks a read operation secured by it that refuses anonymous callers (401/403), then sends
    a random, never-issued credential in the scheme's place. It reports when that request answers 2xx,
    twice.
    """
    samples = [s for s in ctx.samples.values() if s.op.requires_auth and s.op.method == "GET"]

    async def one(name: str, scheme: SecurityScheme) -> None:
        for sample in [s for s in samples if any(name in req for req in s.op.security)][:3]:
            anon = await ctx.send(sample.spec, None, refresh=False)
            if anon.status not in (401, 403):
                continue

            async def probe(sample: Sample = sample) -> Exchange | None:
                forged = _forge(sample.spec, scheme)
                if forged is None:
                    return None
                ex = await ctx.send(forged, None, refresh=False)
                return ex if ex.ok else None

            proof = await ctx.confirm(probe)
            if proof is not None:
                ctx.report(
                    invalid_credentials.meta,
                    operation=sample.op,
                    location=f"security:{name}",
                    message=f"a random credential for scheme {name!r} ({scheme.type}) was accepted",
                    proof=proof,
                    control=anon,
                )
            return

    await ctx.gather(one(n, s) for n, s in ctx.model.security_schemes.items())
