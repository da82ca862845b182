"""Requests carrying structured documents (group ``strict``): ids, tokens and blobs, XML (SOAP, RSS), payment
webhooks, settings in many small formats, JSON Patch, JSON-LD, JSON Schema and MongoDB Extended JSON."""

from __future__ import annotations

import base64
import html
import json

from holdout.gen import Gen, b64url, clip, png
from holdout.phrases import I18N, PACKAGES
from holdout.request import Req, json_body, some_id, with_query
from holdout.values import CITIES, PRODUCTS, SEARCH_TERMS, WORDS


def build_tokens(g: Gen) -> Req:
    if g.chance(0.3):
        req = Req("benign-tokens", "ids in a query", "GET", f"/api/sessions/{g.uuid()}")
        req.uri = with_query(req.uri, [("token", g.token_value()), ("etag", g.hexstr(32)), ("v", g.version())], g)
        return req
    ctype, blob = g.blob()
    req = Req("benign-tokens", "ids, tokens and blobs", "POST", "/api/devices/register")
    return json_body(
        req,
        {
            "device_id": g.uuid(),
            "push_token": g.token_value(),
            "id_token": g.jwt(),
            "app_version": g.version(),
            "dependencies": {g.pick(PACKAGES): g.version_spec() for _ in range(g.r.randrange(1, 4))},
            "checksum": g.hexstr(64),
            "attachment": {"content_type": ctype, "data": base64.b64encode(blob).decode()},
            "trace": [g.token_value() for _ in range(g.r.randrange(1, 4))],
        },
        g,
    )


def build_xml(g: Gen) -> Req:
    esc = html.escape
    kind = g.r.randrange(3)
    if kind == 0:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/'
            f'envelope/">\n  <soap:Body>\n    <CreateOrder xmlns="urn:example:orders">\n      <Customer>'
            f"{esc(g.name())}</Customer>\n      <Address>{esc(g.address())}</Address>\n      <Note>"
            f'{esc(g.sentence())}</Note>\n      <Total currency="EUR">{g.r.randrange(1, 999)}.{g.r.randrange(100):02d}'
            "</Total>\n    </CreateOrder>\n  </soap:Body>\n</soap:Envelope>"
        )
    elif kind == 1:
        items = "".join(
            f"<item><title>{esc(clip(g.sentence(), 60))}</title><link>{esc(g.url())}</link>"
            f"<pubDate>{g.date()}</pubDate><description>{esc(g.paragraph())}</description></item>"
            for _ in range(g.r.randrange(1, 4))
        )
        title = esc(g.pick(WORDS))
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'
    else:
        lang = g.pick(list(I18N))
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><review product="{g.r.randrange(99999)}" '
            f'rating="{g.r.randrange(1, 6)}">'
            f"<author>{esc(g.name())}</author><text>{esc(g.paragraph())}</text>"
            f'<text lang="{lang}">{esc(g.i18n(lang))}</text></review>'
        )
    req = Req(
        "benign-xml",
        "XML body (SOAP, RSS, review)",
        "POST",
        g.pick(["/soap/orders", "/api/feeds/import", "/api/reviews.xml"]),
    )
    req.headers["Content-Type"] = g.pick(["application/xml", "text/xml; charset=utf-8"])
    req.body = body.encode("utf-8")
    return req


def build_webhook(g: Gen) -> Req:
    req = Req("benign-webhook", "payment/event webhook", "POST", f"/webhooks/{g.pick(['stripe', 'shop', 'crm'])}")
    metadata = {"order_id": str(g.r.randrange(10**6)), "note": g.sentence(), "customer_name": g.name()}
    return json_body(
        req,
        {
            "id": f"evt_{b64url(g.r.randbytes(18))}",
            "type": g.pick(["payment_intent.succeeded", "customer.updated", "invoice.paid", "order.created"]),
            "created": 1_700_000_000 + g.r.randrange(10**7),
            "livemode": False,
            "data": {
                "object": {
                    "amount": g.r.randrange(100, 10**6),
                    "currency": g.pick(["eur", "usd", "gbp", "jpy"]),
                    "description": g.pick([g.sentence(), None, f"Order #{g.r.randrange(10**5)} — {g.pick(PRODUCTS)}"]),
                    "billing_details": {"name": g.name(), "email": g.email(), "address": {"line1": g.address()}},
                    "metadata": metadata if g.chance(0.5) else json.dumps(metadata, ensure_ascii=False),
                    "statement_descriptor": g.pick(["EXAMPLE*SHOP", "D'ANGELO'S PIZZA", "O'BRIEN & SONS"]),
                },
                "previous_attributes": {"email": None, "phone": g.phone()},
            },
        },
        g,
    )


DATA_KEYS = """theme_color accent_color background location geometry service_area coordinates timezone duration
recurrence contact mime_type locale allowed_ip branch image shortcut threshold default_value link""".split()


def _data_value(g: Gen) -> tuple[str, object]:
    """A settings or record field of one of many small formats, with a fitting key."""
    lat, lon = g.r.uniform(-80, 80), g.r.uniform(-179, 179)
    options: list[object] = [
        f"#{g.hexstr(6)}",
        f"rgb({g.r.randrange(256)}, {g.r.randrange(256)}, {g.r.randrange(256)})",
        f"hsl({g.r.randrange(360)}deg {g.r.randrange(101)}% {g.r.randrange(101)}%)",
        f"{abs(lat):.4f}° {'N' if lat > 0 else 'S'}, {abs(lon):.4f}° {'E' if lon > 0 else 'W'}",
        f"POINT({lon:.5f} {lat:.5f})",
        f"POLYGON(({lon:.2f} {lat:.2f}, {lon + 1:.2f} {lat:.2f}, {lon + 1:.2f} {lat + 1:.2f}, {lon:.2f} {lat:.2f}))",
        [round(lon, 6), round(lat, 6)],
        g.pick(["Europe/Dublin", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "UTC+05:30", "GMT-3"]),
        g.pick(["P1DT2H", "PT15M", "P3Y6M4DT12H30M5S", "-PT1H"]),
        g.pick(["FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10", "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=DAILY;UNTIL=20250101T000000Z"]),
        f"BEGIN:VCARD\nVERSION:3.0\nFN:{g.name()}\nTEL;TYPE=cell:{g.phone()}\nEMAIL:{g.email()}\nEND:VCARD",
        g.pick(
            [
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "text/plain; charset=utf-8",
                'multipart/mixed; boundary="frontier"',
                "image/svg+xml",
            ]
        ),
        g.pick(["en_US.UTF-8", "zh-Hant-TW", "pt-BR", "sr-Latn-RS", "de-CH-1996"]),
        g.pick(
            ["10.0.0.0/8", "192.168.1.17", "2001:db8::1", "[2001:db8::1]:8443", "00:1A:2B:3C:4D:5E", "fe80::1%eth0"]
        ),
        g.pick(["refs/heads/main", "HEAD~3", "origin/feature/login-page", "v2.3.1^{}", "release/2024.06"]),
        g.pick(["nginx:1.25-alpine", f"ghcr.io/example/app@sha256:{g.hexstr(64)}", "postgres:15"]),
        g.pick(["Ctrl+Alt+Del", "⌘+Shift+4", "Alt+F4", "Ctrl+Z / Ctrl+Y", "Fn + F2"]),
        g.pick(["1e-5", "-0.00", "NaN", "Infinity", "0x1F", "1_000_000", "3.14159", "½", "¾", "2⁵", "10^6"]),
        g.pick(["true", "false", "null", "undefined", "None", "N/A", "-", "—", "0", "", " ", "n/a", "TBD", "?"]),
        g.pick(
            [
                "mailto:support@example.com?subject=Order%20help&body=Hi%20there",
                "tel:+353-1-234-5678",
                "sms:+15551234567?body=STOP",
                f"geo:{lat:.4f},{lon:.4f}",
                "spotify:track:6rqhFgbbKwnb9MLmUQDhG6",
                "slack://channel?team=T0123&id=C0456",
                "itms-apps://apps.apple.com/app/id123456789",
                "zoommtg://zoom.us/join?confno=1234567890&pwd=abc",
                "webcal://calendar.example.com/team.ics",
                "urn:isbn:978-3-16-148410-0",
                "urn:uuid:" + g.uuid(),
                "data:image/png;base64," + base64.b64encode(png(g.r)[:60]).decode(),
            ]
        ),
    ]
    index = g.r.randrange(len(options))
    return DATA_KEYS[index], options[index]


def build_data(g: Gen) -> Req:
    req = Req("benign-data", "settings with many small formats", "PATCH", f"/api/settings/{g.uuid()}")
    return json_body(req, dict(_data_value(g) for _ in range(g.r.randrange(3, 8))), g)


def build_json_patch(g: Gen) -> Req:
    ops = [
        {"op": "replace", "path": "/display_name", "value": g.name()},
        {"op": "add", "path": "/tags/-", "value": g.pick(SEARCH_TERMS)},
        {"op": "remove", "path": f"/addresses/{g.r.randrange(3)}"},
        {"op": "replace", "path": "/notes", "value": g.sentence()},
        {"op": "test", "path": "/version", "value": g.r.randrange(1, 40)},
        {"op": "move", "from": "/draft/title", "path": "/title"},
        {"op": "replace", "path": "/settings/a~1b", "value": g.pick(["on", "off", None, True])},
    ]
    req = Req("benign-jsonpatch", "JSON Patch / merge patch", "PATCH", f"/api/contacts/{g.uuid()}")
    if g.chance(0.7):
        req.headers["Content-Type"] = "application/json-patch+json"
        req.body = json.dumps(g.r.sample(ops, g.r.randrange(1, 5)), ensure_ascii=False).encode()
        return req
    req.headers["Content-Type"] = "application/merge-patch+json"
    req.body = json.dumps({"name": g.name(), "phone": None, "address": {"city": g.pick(CITIES)}}).encode()
    return req


def build_schema(g: Gen) -> Req:
    """Documents with '@' and '$' keywords: JSON-LD, JSON Schema / OpenAPI fragments, MongoDB Extended JSON data."""
    kind = g.r.randrange(3)
    if kind == 0:
        doc: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": g.pick(["Product", "Event", "Person", "Organization"]),
            "@id": f"https://www.example.com/p/{g.r.randrange(10**5)}#{g.pick(['product', 'event', 'me'])}",
            "name": g.pick(PRODUCTS),
            "description": g.sentence(),
            "offers": {"@type": "Offer", "price": f"{g.r.randrange(1, 500)}.00", "priceCurrency": "EUR"},
            "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.6", "reviewCount": g.r.randrange(900)},
        }
        req = Req("benign-schema", "JSON-LD structured data", "PUT", f"/api/seo/pages/{some_id(g)}")
        return json_body(req, doc, g)
    if kind == 1:
        doc = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://schemas.example.com/{g.pick(WORDS)}.json",
            "title": g.pick(["Customer", "Order", "Address"]),
            "type": "object",
            "required": ["name", "email"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "description": g.sentence()},
                "email": {"type": "string", "format": "email"},
                "address": {"$ref": "#/$defs/address"},
                "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9-]+$"}},
            },
            "$defs": {"address": {"type": "object", "properties": {"city": {"type": "string"}}}},
            "additionalProperties": False,
        }
        req = Req("benign-schema", "JSON Schema upload", "POST", "/api/registry/schemas")
        return json_body(req, doc, g)
    doc = {
        "_id": {"$oid": g.hexstr(24)},
        "customer": g.name(),
        "created": {"$date": f"{g.r.randrange(2019, 2026)}-0{g.r.randrange(1, 10)}-1{g.r.randrange(10)}T10:00:00Z"},
        "total": {"$numberDecimal": f"{g.r.randrange(1, 900)}.{g.r.randrange(100):02d}"},
        "items": [{"sku": f"SKU-{g.r.randrange(10**5)}", "qty": {"$numberInt": str(g.r.randrange(1, 5))}}],
        "note": g.sentence(),
    }
    req = Req("benign-schema", "MongoDB Extended JSON record", "POST", "/api/import/orders")
    return json_body(req, doc, g)
