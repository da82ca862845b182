"""One API request as a builder returns it, the body and query encodings builders share, and the browser, mobile
and SDK headers every row carries."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus, urlencode

from holdout.gen import Gen, ascii_fold
from holdout.values import ACCEPT_LANGUAGES, FIRST_NAMES, UAS


@dataclass(slots=True)
class Req:
    """What a builder returns: the category and description of the row, and the request line, headers and body."""

    category: str
    desc: str
    method: str
    uri: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def json_body(req: Req, payload: object, g: Gen) -> Req:
    req.headers["Content-Type"] = g.pick(["application/json", "application/json; charset=utf-8", "application/json"])
    req.body = json.dumps(payload, ensure_ascii=g.chance(0.25)).encode("utf-8")
    return req


def form_body(req: Req, fields: list[tuple[str, str]], g: Gen) -> Req:
    req.headers["Content-Type"] = "application/x-www-form-urlencoded"
    req.body = urlencode(fields).encode("ascii")
    return req


def with_query(path: str, fields: list[tuple[str, str]], g: Gen) -> str:
    if g.chance(0.3):  # some clients keep brackets, commas and colons readable
        return path + "?" + urlencode(fields, safe="[],:*-")
    return path + "?" + urlencode(fields, quote_via=quote if g.chance(0.4) else quote_plus)


def some_id(g: Gen) -> str:
    return g.pick([str(g.r.randrange(1, 10**6)), g.uuid(), g.hexstr(24)])


def base_headers(g: Gen) -> dict[str, str]:
    """Headers a browser, mobile app or SDK sends with any request; the builder's own headers are laid over them."""
    headers = {
        "Host": g.pick(["api.example.com", "shop.example.de", "app.example.io"]),
        "User-Agent": g.pick(UAS),
        "Accept": g.pick(
            ["application/json", "*/*", "application/json, text/plain, */*", "text/html,application/xhtml+xml"]
        ),
        "Accept-Language": g.pick(ACCEPT_LANGUAGES),
        "Accept-Encoding": "gzip, deflate, br",
    }
    if g.chance(0.5):
        headers["Authorization"] = g.pick(
            [
                f"Bearer {g.jwt()}",
                f"Bearer {g.jwt()}",
                "Basic " + base64.b64encode(f"{g.email()}:{g.password()}".encode()).decode(),
                f"AWS4-HMAC-SHA256 Credential=AKIA{g.hexstr(16).upper()}/20240305/eu-west-1/s3/aws4_request, "
                f"SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={g.hexstr(64)}",
                f'Digest username="{ascii_fold(g.pick(FIRST_NAMES)) or "anna"}", realm="api", nonce="{g.hexstr(32)}", '
                f'uri="/api/orders", response="{g.hexstr(32)}", qop=auth, nc=00000001, cnonce="{g.hexstr(8)}"',
                f"Token token={g.hexstr(32)}",
            ]
        )
    if g.chance(0.05):
        headers["X-Hub-Signature-256"] = f"sha256={g.hexstr(64)}"
    if g.chance(0.05):
        headers["Stripe-Signature"] = f"t={1_700_000_000 + g.r.randrange(10**7)},v1={g.hexstr(64)},v0={g.hexstr(64)}"
    if g.chance(0.2):
        headers["X-Forwarded-For"] = (
            f"{g.r.randrange(1, 223)}.{g.r.randrange(256)}.{g.r.randrange(256)}.{g.r.randrange(1, 255)}"
        )
    if g.chance(0.15):
        headers["Referer"] = g.url()
    if "Chrome/" in headers["User-Agent"] and g.chance(0.6):
        brand = g.pick(['"Google Chrome";v="126"', '"Microsoft Edge";v="125"', '"Brave";v="126"'])
        headers["sec-ch-ua"] = f'"Not/A)Brand";v="8", "Chromium";v="126", {brand}'
        headers["sec-ch-ua-mobile"] = g.pick(["?0", "?1"])
        headers["sec-ch-ua-platform"] = g.pick(['"Windows"', '"macOS"', '"Android"', '"Linux"'])
        headers["Sec-Fetch-Site"] = g.pick(["same-origin", "same-site", "cross-site"])
        headers["Sec-Fetch-Mode"] = "cors"
        headers["Sec-Fetch-Dest"] = "empty"
        headers["Origin"] = g.pick(["https://www.example.com", "https://app.example.io", "https://shop.example.de"])
    if g.chance(0.1):
        headers["X-Requested-With"] = "XMLHttpRequest"
    if g.chance(0.1):
        headers["Idempotency-Key"] = g.uuid()
    if g.chance(0.1):
        headers["Cache-Control"] = g.pick(["no-cache", "max-age=0", "no-store, no-cache, must-revalidate"])
    if g.chance(0.05):
        headers["If-Modified-Since"] = "Tue, 05 Mar 2024 14:30:00 GMT"
    if g.chance(0.05):
        headers["Forwarded"] = f'for="[2001:db8:cafe::{g.r.randrange(1, 99)}]:4711";proto=https;by=203.0.113.43'
    if g.chance(0.05):
        headers["Via"] = "1.1 varnish (Varnish/7.4), 1.1 vegur"
    return headers
