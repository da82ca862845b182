"""Requests carrying what people write (group ``strict``): reviews, tickets, chat, messages in 22 languages,
SQL-ish business prose, markdown, translated UI text, profiles, product descriptions, math and emoji."""

from __future__ import annotations

from holdout.gen import Gen, clip
from holdout.phrases import BUSINESS, I18N, SUPPORT
from holdout.request import Req, json_body, some_id, with_query
from holdout.values import CITIES, EMOTICONS, FIRST_NAMES, HEIGHTS, LAST_NAMES, MATH, PRODUCTS, WORDS


def build_prose(g: Gen) -> Req:
    kind = g.r.randrange(4)
    if kind == 0:
        req = Req("benign-prose", "product review", "POST", f"/api/v1/products/{some_id(g)}/reviews")
        return json_body(
            req,
            {
                "rating": g.r.randrange(1, 6),
                "title": clip(g.sentence(), 70),
                "body": g.paragraph(),
                "pros": [g.sentence() for _ in range(g.r.randrange(0, 3))],
                "author": {"display_name": g.name(), "location": g.pick(CITIES)},
                "would_recommend": g.chance(0.7),
            },
            g,
        )
    if kind == 1:
        req = Req("benign-prose", "support ticket", "POST", "/api/v2/tickets")
        return json_body(
            req,
            {
                "subject": clip(g.sentence(), 90),
                "description": "\n\n".join(g.paragraph() for _ in range(g.r.randrange(1, 4))),
                "requester": {"name": g.name(), "email": g.email()},
                "custom_fields": {"order_id": str(g.r.randrange(10**6)), "channel": g.pick(["web", "ios", "email"])},
                "priority": g.pick(["low", "normal", "high", "urgent"]),
            },
            g,
        )
    if kind == 2:
        req = Req("benign-prose", "forum reply", "PATCH", f"/api/forum/threads/{some_id(g)}/posts/{some_id(g)}")
        return json_body(
            req, {"content": g.paragraph(), "edit_reason": clip(g.sentence(), 60), "notify": g.chance(0.5)}, g
        )
    req = Req("benign-prose", "document with sections", "PUT", f"/api/wiki/pages/{g.pick(WORDS)}-{g.r.randrange(99)}")
    sections = [{"heading": clip(g.sentence(), 50), "text": g.paragraph()} for _ in range(g.r.randrange(1, 4))]
    return json_body(req, {"title": clip(g.sentence(), 60), "sections": sections, "tags": g.r.sample(WORDS, 3)}, g)


def build_support(g: Gen) -> Req:
    req = Req("benign-support", "support chat with commands", "POST", "/api/chat/messages")
    text = " ".join(g.fill(g.pick(SUPPORT)) for _ in range(g.r.randrange(1, 3)))
    return json_body(req, {"conversation_id": g.uuid(), "text": text, "sent_at": g.date()}, g)


def build_business(g: Gen) -> Req:
    text = g.business_request() if g.chance(0.4) else g.fill(g.pick(BUSINESS))
    if g.chance(0.3):
        req = Req("benign-business", "SQL-ish prose in a query", "GET", "/api/notes/search")
        req.uri = with_query(req.uri, [("q", text), ("limit", "20")], g)
        return req
    req = Req("benign-business", "SQL-ish prose", "POST", g.pick(["/api/tasks", "/api/comments", "/api/orders/notes"]))
    return json_body(
        req, {"text": text, "extra": g.fill(g.pick(BUSINESS)) if g.chance(0.4) else "", "due": g.date()}, g
    )


def build_i18n(g: Gen) -> Req:
    lang = g.pick(list(I18N))
    if g.chance(0.25):
        req = Req("benign-i18n", f"search in {lang}", "GET", "/api/search")
        req.uri = with_query(
            req.uri, [("q", clip(g.i18n(lang), 80)), ("lang", lang), ("page", str(g.r.randrange(1, 5)))], g
        )
        return req
    req = Req("benign-i18n", f"message in {lang}", g.pick(["POST", "PUT"]), f"/api/messages/{some_id(g)}")
    return json_body(
        req,
        {
            "locale": lang,
            "subject": clip(g.i18n(lang), 60),
            "body": g.i18n(lang),
            "recipient": {"name": g.name(), "city": g.pick(CITIES)},
            "meta": {"translated_from": g.pick(list(I18N)), "original": g.i18n()},
        },
        g,
    )


def build_ui(g: Gen) -> Req:
    lang = g.pick(sorted(g.t.ui) or ["de"])
    if g.chance(0.6):
        req = Req(
            "benign-ui-text",
            f"translation upload ({lang})",
            "PUT",
            f"/api/projects/{g.pick(WORDS)}/strings/{g.hexstr(8)}",
        )
        return json_body(
            req,
            {
                "locale": lang.replace("_", "-"),
                "source": g.ui_text("en"),
                "translation": g.ui_text(lang),
                "reviewed": g.chance(0.5),
            },
            g,
        )
    req = Req("benign-ui-text", f"client error report ({lang})", "POST", "/api/telemetry/errors")
    return json_body(
        req, {"message": g.ui_text(lang), "locale": lang, "app_version": g.version(), "country": g.country(lang)}, g
    )


def build_markdown(g: Gen) -> Req:
    req = Req("benign-markdown", "markdown post", "POST", f"/api/repos/{g.pick(WORDS)}/{g.pick(WORDS)}/issues")
    return json_body(
        req,
        {"title": clip(g.sentence(), 80), "body": g.markdown(), "labels": g.r.sample(["bug", "docs", "ui", "p2"], 2)},
        g,
    )


def build_profile(g: Gen) -> Req:
    req = Req("benign-profile", "profile update", "PATCH", f"/api/users/{g.uuid()}")
    first, last = g.pick(FIRST_NAMES), g.pick(LAST_NAMES)
    return json_body(
        req,
        {
            "first_name": first,
            "last_name": last,
            "display_name": g.pick([f"{first} {last}", f"{last}, {first}", f"{first[:1]}. {last}"]),
            "email": g.email(),
            "phone": g.phone(),
            "alt_phone": g.phone() if g.chance(0.3) else None,
            "address": {
                "line1": g.address(),
                "city": g.pick(CITIES),
                "country": g.country(g.pick(sorted(g.t.countries) or ["de"])),
            },
            "birthday": g.date(),
            "height": g.pick(HEIGHTS),
            "bio": g.pick([g.sentence(), g.i18n(), g.emoticon_text()]),
            "website": g.url(),
            "company": g.pick(
                [f"{g.pick(LAST_NAMES)} & {g.pick(LAST_NAMES)} Ltd.", "AT&T", "Marks & Spencer plc", "Ben & Jerry's"]
            ),
        },
        g,
    )


def build_product(g: Gen) -> Req:
    req = Req(
        "benign-product", "product with measurements", g.pick(["POST", "PUT"]), f"/api/catalog/items/{some_id(g)}"
    )
    return json_body(
        req,
        {
            "title": g.pick(PRODUCTS),
            "description": f"{g.pick(PRODUCTS)}. {g.sentence()} "
            f"Fits anyone from {g.pick(HEIGHTS)} to {g.pick(HEIGHTS)}.",
            "price": g.money(),
            "dimensions": g.pick(
                ['24"W x 18"D x 30"H', "60 × 40 × 2 cm", '8.5" x 11"', "Ø 25 mm, ±0.5 mm", "3/4\" x 6'"]
            ),
            "variants": [
                {
                    "size": g.pick(["S", "M", "L", "XL", "7 ½", '32"']),
                    "sku": f"{g.pick(WORDS)[:3].upper()}-{g.r.randrange(10**4)}",
                }
                for _ in range(2)
            ],
            "discount": g.pick(["-15%", "20% off", "2 for 1", "buy 2, get 1 free", "none"]),
        },
        g,
    )


def build_math(g: Gen) -> Req:
    expr = g.pick(MATH)
    text = g.pick(
        [expr, f"Quick question: why is {expr}?", f"My notes say {expr} — can someone confirm?", f"Hint: {expr}."]
    )
    if g.chance(0.3):
        req = Req("benign-math", "formula in a query", "GET", "/api/calc/explain")
        req.uri = with_query(req.uri, [("expr", expr)], g)
        return req
    req = Req("benign-math", "math in a homework post", "POST", "/api/homework/questions")
    return json_body(
        req,
        {"subject": g.pick(["Algebra", "Statistics", "Physics"]), "question": text, "grade": g.r.randrange(6, 13)},
        g,
    )


def build_emoji(g: Gen) -> Req:
    req = Req("benign-emoji", "chat with emoticons", "POST", f"/api/rooms/{g.pick(WORDS)}/messages")
    return json_body(
        req,
        {
            "text": g.emoticon_text(),
            "reactions": g.r.sample(EMOTICONS, 3),
            "reply_to": g.uuid() if g.chance(0.3) else None,
        },
        g,
    )
