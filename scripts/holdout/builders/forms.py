"""Requests carrying values in the URL, form fields, multipart uploads and headers (group ``strict``): search and
filter queries, login, sign-up and checkout forms, nested form keys, uploads, CSV, file metadata with local paths,
cookies, values in path segments, single sign-on callbacks."""

from __future__ import annotations

import base64
import html
import json
from urllib.parse import quote, urlencode

from holdout.gen import Gen, b64url, clip, slugify
from holdout.phrases import BUSINESS
from holdout.request import Req, form_body, json_body, with_query
from holdout.values import CITIES, FIELDS, LAST_NAMES, PRODUCTS, SEARCH_TERMS, SORTS, WORDS


def build_query(g: Gen) -> Req:
    req = Req(
        "benign-query",
        "search, filters, pagination",
        "GET",
        g.pick(["/api/v1/products", "/api/issues", "/api/v2/orders", "/search"]),
    )
    fields: list[tuple[str, str]] = []
    if g.chance(0.7):
        fields.append(("q", g.pick([g.pick(SEARCH_TERMS), clip(g.sentence(), 50), g.pick(LAST_NAMES), g.pick(CITIES)])))
    fields += [("page", str(g.r.randrange(1, 50))), ("per_page", g.pick(["10", "25", "50", "100"]))]
    if g.chance(0.6):
        fields.append(("sort", g.pick(SORTS)))
    if g.chance(0.4):
        fields.append(("fields", g.pick(FIELDS)))
    if g.chance(0.5):
        fields.append(
            (f"filter[{g.pick(['status', 'state', 'type'])}]", g.pick(["open", "closed", "in_progress", "draft"]))
        )
    if g.chance(0.3):
        fields.append(("filter[created_at][gte]", g.date()))
    if g.chance(0.3):
        fields += [("price_min", str(g.r.randrange(0, 50))), ("price_max", f"{g.r.randrange(50, 500)}.99")]
    if g.chance(0.3):
        fields.append(("include", g.pick(["author,comments.author", "items", "customer.address"])))
    if g.chance(0.2):
        fields += [("tags[]", g.pick(WORDS)), ("tags[]", g.pick(WORDS))]
    if g.chance(0.2):
        fields.append(("cursor", b64url(json.dumps({"id": g.r.randrange(10**6), "ts": g.date()}).encode())))
    if g.chance(0.2):
        fields.append(("redirect_uri", g.url()))
    if g.chance(0.15):
        fields.append(("callback", g.pick(["jQuery3510_1700000000", "handleResponse", "cb_12"])))
    g.r.shuffle(fields)
    req.uri = with_query(req.uri, fields, g)
    return req


def build_form(g: Gen) -> Req:
    kind = g.r.randrange(4)
    if kind == 0:
        req = Req("benign-form", "login form", "POST", "/login")
        return form_body(
            req,
            [
                ("username", g.email()),
                ("password", g.password()),
                ("remember_me", "on"),
                ("next", "/account/orders?tab=open"),
            ],
            g,
        )
    if kind == 1:
        req = Req("benign-form", "sign-up form", "POST", "/signup")
        pw = g.password()
        return form_body(
            req,
            [
                ("full_name", g.name()),
                ("email", g.email()),
                ("password", pw),
                ("password_confirm", pw),
                ("phone", g.phone()),
                ("terms", "accepted"),
            ],
            g,
        )
    if kind == 2:
        req = Req("benign-form", "contact form", "POST", "/contact")
        return form_body(
            req,
            [
                ("name", g.name()),
                ("email", g.email()),
                ("subject", clip(g.sentence(), 60)),
                ("message", g.pick([g.paragraph(), g.i18n(), g.fill(g.pick(BUSINESS))])),
            ],
            g,
        )
    req = Req("benign-form", "checkout form", "POST", "/checkout/address")
    return form_body(
        req,
        [
            ("ship_name", g.name()),
            ("ship_address", g.address()),
            ("ship_city", g.pick(CITIES)),
            ("gift_message", g.emoticon_text()),
            ("delivery_notes", g.fill(g.pick(BUSINESS))),
        ],
        g,
    )


def build_nested_form(g: Gen) -> Req:
    req = Req("benign-form", "form with nested keys (Rails/PHP style)", "POST", "/orders")
    fields = [
        ("authenticity_token", base64.b64encode(g.r.randbytes(32)).decode()),
        ("order[customer][name]", g.name()),
        ("order[customer][email]", g.email()),
        ("order[shipping][address]", g.address()),
        ("order[items][0][sku]", f"SKU-{g.r.randrange(10**5)}"),
        ("order[items][0][qty]", str(g.r.randrange(1, 5))),
        ("order[items][][name]", g.pick(PRODUCTS)),
        ("order[note]", g.sentence()),
        ("commit", g.pick(["Place order", "Weiter", "Commander"])),
    ]
    return form_body(req, fields, g)


def build_multipart(g: Gen) -> Req:
    boundary = f"----WebKitFormBoundary{b64url(g.r.randbytes(12))[:16]}"
    name = g.filename()
    ctype, content = g.blob()
    if name.endswith((".txt", ".csv")):
        ctype, content = (
            ("text/csv", g.csv_line().encode()) if name.endswith(".csv") else ("text/plain", g.paragraph().encode())
        )
    parts = [
        (f'Content-Disposition: form-data; name="description"\r\n\r\n{g.sentence()}').encode(),
        (
            'Content-Disposition: form-data; name="folder"\r\n\r\n'
            + g.pick(["Invoices 2024", "Photos/Holiday", "Shared"])
        ).encode(),
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
        + content,
    ]
    body = b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode()
    req = Req("benign-multipart", f"upload of {ctype}", "POST", f"/api/files?folder_id={g.r.randrange(999)}")
    req.headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    req.body = body
    return req


def build_csv(g: Gen) -> Req:
    if g.chance(0.4):
        req = Req("benign-csv", "CSV import body", "POST", "/api/imports/contacts")
        req.headers["Content-Type"] = "text/csv; charset=utf-8"
        req.body = g.csv_line().encode()
        return req
    req = Req("benign-csv", "CSV text in JSON", "POST", "/api/imports")
    return json_body(req, {"format": "csv", "delimiter": ",", "data": g.csv_line(), "has_header": True}, g)


def build_files(g: Gen) -> Req:
    name = g.filename()
    req = Req("benign-files", "file metadata with local paths", "POST", "/api/sync/files")
    ctype, blob = g.blob()
    return json_body(
        req,
        {
            "name": name,
            "local_path": g.local_path(name),
            "size": g.r.randrange(100, 10**8),
            "modified": g.date(),
            "mime_type": ctype,
            "thumbnail": base64.b64encode(blob[:120]).decode() if g.chance(0.5) else None,
        },
        g,
    )


def build_headers(g: Gen) -> Req:
    req = Req(
        "benign-headers",
        "page fetch with browser headers and cookies",
        "GET",
        g.pick(["/api/me", "/api/cart", "/api/recommendations"]),
    )
    req.headers["Referer"] = g.pick(
        [
            f"https://www.google.com/search?q={quote(g.pick(SEARCH_TERMS))}&hl=de&source=hp",
            g.url(),
            f"https://shop.example.com/checkout?step=2&coupon=SPRING-{g.r.randrange(99)}",
            "https://t.co/" + b64url(g.r.randbytes(7)),
        ]
    )
    req.headers["Cookie"] = "; ".join(
        g.r.sample(
            [
                f"_ga=GA1.1.{g.r.randrange(10**9)}.{1_700_000_000 + g.r.randrange(10**7)}",
                f"_gid=GA1.2.{g.r.randrange(10**9)}.{1_700_000_000 + g.r.randrange(10**7)}",
                f"sessionid={g.hexstr(32)}",
                f"csrftoken={b64url(g.r.randbytes(24))}",
                f"theme={g.pick(['dark', 'light'])}",
                f"lang={g.pick(['de-DE', 'fr', 'pt-BR'])}",
                f"cart={quote(json.dumps({'items': g.r.randrange(1, 9), 'currency': 'EUR'}))}",
                "OptanonConsent=isGpcEnabled=0&datestamp=Tue+Mar+05+2024+14%3A30%3A00+GMT%2B0100&version=202310.1.0"
                "&groups=C0001%3A1%2CC0002%3A0",
                f"recently_viewed={'%2C'.join(str(g.r.randrange(10**5)) for _ in range(4))}",
                f"last_search={quote(g.pick(SEARCH_TERMS))}",
                f"user_name={quote(g.name())}",
                "session="
                + b64url(json.dumps({"csrf_token": g.hexstr(40), "_fresh": True}).encode())
                + f".{b64url(g.r.randbytes(4))}.{b64url(g.r.randbytes(20))}",
                "express:sess=" + base64.b64encode(json.dumps({"passport": {"user": g.uuid()}}).encode()).decode(),
                f"_shop_session={quote(base64.b64encode(g.r.randbytes(48)).decode())}--{g.hexstr(40)}",
                f"ajs_user_id={quote(json.dumps(g.uuid()))}",
                f"ajs_anonymous_id=%22{g.uuid()}%22",
                f"mp_{g.hexstr(32)}_mixpanel="
                + quote(json.dumps({"distinct_id": g.uuid(), "$initial_referrer": "$direct"})),
                f"_fbp=fb.1.{1_700_000_000_000 + g.r.randrange(10**9)}.{g.r.randrange(10**9)}",
                "AMP_TOKEN=%24NOT_FOUND",
                f".AspNetCore.Antiforgery.{b64url(g.r.randbytes(8))}=CfDJ8{b64url(g.r.randbytes(60))}",
                f"intercom-session-{g.hexstr(8)}={quote(base64.b64encode(g.r.randbytes(30)).decode())}",
            ],
            g.r.randrange(2, 6),
        )
    )
    req.headers["If-None-Match"] = f'W/"{g.hexstr(16)}"'
    req.headers["X-Request-ID"] = g.uuid()
    req.headers["traceparent"] = f"00-{g.hexstr(32)}-{g.hexstr(16)}-01"
    return req


def build_paths(g: Gen) -> Req:
    """Values in path segments: names, titles, file names, tags, percent-encoded or not."""
    name = g.pick(LAST_NAMES)
    tag = quote(g.pick(["c++", "c#", ".net", "node.js", "r&d", "q&a", "ci/cd", "o’reilly"]), safe="")
    slug = slugify(clip(g.sentence(), 50))
    variant = quote(g.pick(["32x30", "7 ½", "XL", "EU 38", "10.5"]))
    segment = g.pick(
        [
            f"/wiki/{quote(name.replace(' ', '_'))}_(surname)",
            f"/api/people/{quote(g.name())}",
            f"/api/people/{name.replace(' ', '-').lower()}",
            f"/api/tags/{tag}/posts",
            f"/files/{quote(g.filename())}",
            f"/api/search/{quote(g.pick(SEARCH_TERMS))}",
            f"/shop/{g.pick(['kids', 'mens', 'womens'])}/{slugify(g.pick(PRODUCTS))}",
            f"/api/cities/{quote(g.pick(CITIES))}/weather",
            f"/blog/{g.r.randrange(2015, 2027)}/{g.r.randrange(1, 13):02d}/{slug}",
            f"/api/v1/products/{g.r.randrange(10**5)}/variants/{variant}",
        ]
    )
    req = Req("benign-paths", "values in the URL path", "GET", segment)
    if g.chance(0.4):
        req.uri += "?" + urlencode([("ref", g.pick(["home", "email", "search"])), ("lang", g.pick(["de", "fr", "en"]))])
    return req


def _saml_response(g: Gen) -> str:
    issued = f"{g.r.randrange(2023, 2026)}-0{g.r.randrange(1, 10)}-1{g.r.randrange(10)}T0{g.r.randrange(10)}:30:00Z"
    xml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{g.hexstr(32)}" Version="2.0" '
        f'IssueInstant="{issued}" Destination="https://app.example.com/saml/acs">'
        "<saml:Issuer>https://idp.example.org/metadata</saml:Issuer>"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
        f'<saml:Assertion ID="_{g.hexstr(32)}" IssueInstant="{issued}" Version="2.0">'
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/></ds:SignedInfo>'
        f"<ds:SignatureValue>{base64.b64encode(g.r.randbytes(128)).decode()}</ds:SignatureValue></ds:Signature>"
        f'<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{g.email()}'
        "</saml:NameID></saml:Subject>"
        '<saml:AttributeStatement><saml:Attribute Name="displayName">'
        f"<saml:AttributeValue>{html.escape(g.name())}</saml:AttributeValue></saml:Attribute>"
        "</saml:AttributeStatement></saml:Assertion></samlp:Response>"
    )
    return base64.b64encode(xml.encode()).decode()


def build_sso(g: Gen) -> Req:
    """Single sign-on callbacks: SAML POST binding and OpenID Connect form_post."""
    return_to = f"https://app.example.com/dashboard?tab={g.pick(['billing', 'team', 'api-keys'])}&from=sso"
    if g.chance(0.5):
        req = Req("benign-sso", "SAML response (POST binding)", "POST", "/saml/acs")
        return form_body(req, [("SAMLResponse", _saml_response(g)), ("RelayState", return_to)], g)
    state = b64url(json.dumps({"returnTo": return_to, "nonce": g.hexstr(16)}).encode())
    if g.chance(0.5):
        req = Req("benign-sso", "OpenID Connect form_post", "POST", "/oauth/callback")
        return form_body(req, [("code", b64url(g.r.randbytes(32))), ("state", state), ("id_token", g.jwt())], g)
    req = Req("benign-sso", "OAuth authorization redirect", "GET", "/oauth/authorize")
    fields = [
        ("response_type", "code"),
        ("client_id", g.hexstr(20)),
        ("redirect_uri", "https://app.example.com/oauth/callback"),
        ("scope", "openid profile email offline_access"),
        ("state", state),
        ("code_challenge", b64url(g.r.randbytes(32))),
        ("code_challenge_method", "S256"),
        ("prompt", g.pick(["login", "consent", "select_account"])),
        ("login_hint", g.email()),
        ("ui_locales", g.pick(["de-DE fr", "ja", "pt-BR"])),
    ]
    req.uri = with_query(req.uri, fields, g)
    return req
