"""Generate the shipped benign corpus: realistic API JSON traffic for false-positive testing.

Deterministic (fixed seed, gzip with mtime 0): running it again yields the same bytes. The rows use the
CRS-regression format, so ``apiward detect eval corpora/benign-api.jsonl.gz`` scores it. Templates and word lists
are written here by hand; they are not tuned to the engine — they mirror what API bodies carry: free text in
many languages, names with apostrophes, SQL-ish business prose, code snippets, markdown, emails, URLs, UUIDs,
base64 blobs, and the shapes of reviews, tickets, profiles, orders, searches and comments.

    python scripts/make_benign_corpus.py            # writes corpora/benign-api.jsonl.gz
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import random
import sys
import uuid
from pathlib import Path

ROWS = 24_000
SEED = 20_240_601
OUT = Path(__file__).resolve().parents[1] / "corpora" / "benign-api.jsonl.gz"

FIRST = """James Mary Olivia Liam Noah Emma Ava Sophia Lucas Mia Amelia Ethan Chloé Zoë François Jürgen Søren
Björn Ælfred
Siobhán Seán Niamh Aoife Ciarán Pádraig José María Núñez João Łukasz Zofia Małgorzata Dvořák Ana Ines Mateo Valentina
Aarav Priya Ananya Rohan Mei Wei Hiroshi Yuki Sakura Min-jun Ji-woo Fatima Omar Layla Yusuf Amara Kwame Chidi Aisha
Olga Dmitri Анна Иван Μαρία Γιώργος محمد فاطمة דוד שרה 李娜 王伟 佐藤 김민준""".split()
LAST = """Smith Johnson Williams Brown O'Brien O'Connor O'Neill O'Reilly D'Angelo D'Souza N'Dour L'Estrange McDonald
MacLeod Van der Berg de la Cruz García Müller Schröder Dubois Lefèvre Rossi Bianchi Kowalski Nowak Novák Svensson
Nakamura Tanaka Kim Park Nguyen Tran Patel Sharma Singh Okafor Mensah Haddad Cohen Levi Ivanov Петров Παπαδόπουλος
Al-Sayed Ben-David St. John Fitz-Gerald D'Arcy O'Hara Dell'Acqua Ó Súilleabháin""".split()
CITIES = """London Paris Berlin Madrid Lisbon Dublin Warsaw Prague Athens Istanbul Cairo Lagos Nairobi Mumbai Delhi
Bangalore Shanghai Beijing Tokyo Osaka Seoul Hanoi Sydney Auckland Toronto Montréal São Paulo Buenos Aires Mexico City
Reykjavík Zürich Köln Kraków Málaga""".split()
DOMAINS = "example.com example.org mail.example.net shop.example.co.uk corp.example.de example.io".split()
PRODUCTS = """wireless mouse|mechanical keyboard|USB-C cable|standing desk|ergonomic chair|noise-cancelling headphones|
coffee grinder|espresso machine|yoga mat|running shoes|rain jacket|backpack|water bottle|desk lamp|monitor arm|
phone case|screen protector|smart watch|e-reader|bluetooth speaker|air purifier|blender|cast iron pan|chef's knife|
kids' bicycle|dog bed|cat tree|garden hose|drill set|union suit|select grade olive oil|table runner|drop earrings"""
PRODUCTS = PRODUCTS.replace("\n", "").split("|")

EN = [
    "Great {product}, arrived two days early and works exactly as described.",
    "I'd recommend it to anyone who's looking for a {adj} {product}.",
    "Please select the best option from our menu and we'll deliver it by {day}.",
    "You can drop the table reservation if your plans change; just let us know by {day}.",
    "Update your order by {day} or it will ship as is.",
    "The union members will select a delegate from each branch before the vote.",
    "Insert the card into the reader and wait for the green light.",
    "Delete from your wish list any items you no longer want, then save.",
    "Where is my order? It's been {n} days and the tracking page says 'label created'.",
    "Order by price, then by rating, to find the best deals.",
    "My manager said we should join the two teams and group by region for the report.",
    "Can you create a table of the results and update it weekly?",
    "Is it true or false that the warranty covers water damage?",
    "I tried it 2 or 3 times and it failed each time with error {n}.",
    "The size is between 10 and 12 inches, which is perfect for my desk.",
    "We're open Monday–Friday, 9 a.m. to 5 p.m.; on weekends we're closed.",
    "Thanks so much — you've been incredibly helpful!",
    "It's not bad, but it's not great either; 3/5 would buy again at a lower price.",
    "The app crashes when I tap 'Settings' > 'Account' > 'Delete account'.",
    "Could you please exec the refund as soon as possible? Order #{n}.",
    "I live at {n} St. Mary's Road, apt. 4B, {city}.",
    "Rock 'n' roll never dies — this speaker proves it.",
    "My son's teacher (Mrs. {last}) said the kids' books were 50% off.",
    "Select all that apply: red, green, blue, or none of the above.",
    "Note: the 'from' and 'to' dates are inclusive.",
    "If you're 18 or older and live in {city}, you're eligible.",
    "1 + 1 = 2, but our bundle makes 1 + 1 = 3 — buy two, get one free!",
    "Our script for the school play is ready; rehearsals start {day}.",
    "Drop me a line at {email} if you have questions.",
    "Sleep tracking works well, though it sometimes misses naps (10-20 min).",
    "Run the numbers again: revenue was up 12% and costs down 3%.",
    "The alert sounded twice last night; is that normal for the smoke detector?",
    "Having trouble with login; the 'forgot password' email never arrives.",
    "We had a union meeting; they'll select the venue from a shortlist.",
    "I can't believe it's already {day}! Time flies when you're having fun :)",
    "Who's responsible for the cat's vet appointment this week?",
    "Grade: A-. Comments: well structured, but cite your sources & check spelling.",
    "Use the promo code SPRING-{n} at checkout for 15% off.",
    "Reply 'STOP' to unsubscribe or 'HELP' for help.",
    "The path to success isn't straight... it's full of ../detours, as they say.",
]
FR = [
    "C'est un excellent {product}, je l'ai reçu en deux jours.",
    "Je n'ai pas reçu ma commande ; pourriez-vous vérifier l'adresse à {city} ?",
    "L'hôtel était très propre et le personnel d'accueil très aimable.",
    "Qu'est-ce que vous recommandez pour un débutant ?",
    "J'aimerais sélectionner l'option « livraison express » s'il vous plaît.",
    "Aujourd'hui, l'équipe a mis à jour la table des prix.",
]
DE = [
    "Das Produkt ist super, aber die Lieferung hat länger gedauert als erwartet.",
    "Könnten Sie bitte die Rechnung an {email} schicken?",
    "Wir haben die Tabelle aktualisiert und die alten Einträge gelöscht.",
    "Größe passt, Qualität ist gut – würde ich wieder kaufen.",
    "Bitte wählen Sie aus der Liste die gewünschte Farbe aus.",
]
ES = [
    "¿Dónde está mi pedido? Lo compré hace {n} días.",
    "El {product} llegó en perfecto estado, ¡muchas gracias!",
    "Por favor, seleccione la mejor opción de nuestro menú.",
    "La atención al cliente fue excelente y muy rápida.",
    "Mañana actualizaremos la tabla de precios para {city}.",
]
IT = [
    "Ottimo prodotto, consegna veloce e imballaggio curato.",
    "Dov'è il mio ordine? L'ho pagato la settimana scorsa.",
    "Un po' caro, ma ne vale la pena.",
]
PT = [
    "Não recebi o código de confirmação; podem reenviar para {email}?",
    "O atendimento foi ótimo e a entrega chegou antes do prazo.",
    "Gostaria de atualizar o endereço de entrega para {city}.",
]
NL = ["Het product is prima, maar de verzending duurde te lang.", "Kunt u de factuur opnieuw sturen?"]
PL = ["Świetny produkt, polecam każdemu!", "Zamówienie dotarło uszkodzone, proszę o zwrot."]
TR = ["Ürün çok güzel, hızlı kargo için teşekkürler.", "Siparişim nerede? Lütfen kontrol eder misiniz?"]
RU = [
    "Отличный товар, доставка быстрая, рекомендую!",
    "Где мой заказ? Прошло уже {n} дней.",
    "Пожалуйста, выберите лучший вариант из меню.",
]
EL = ["Εξαιρετικό προϊόν, πολύ γρήγορη παράδοση.", "Πού είναι η παραγγελία μου;"]
AR = ["منتج رائع، التوصيل كان سريعاً جداً.", "أين طلبي؟ لقد مر أسبوع."]
HE = ["מוצר מצוין, משלוח מהיר!", "איפה ההזמנה שלי? עבר כבר שבוע."]
ZH = ["产品质量很好，物流也很快。", "请问我的订单什么时候发货？", "请从菜单中选择最好的选项。"]
JA = [
    "とても良い商品です。また購入します。",
    "注文した商品がまだ届いていません。",
    "メニューから最適なオプションを選択してください。",
]
KO = ["제품이 정말 좋아요. 배송도 빨랐어요.", "주문한 상품이 아직 도착하지 않았어요."]
HI = ["उत्पाद बहुत अच्छा है, डिलीवरी भी जल्दी हुई।", "मेरा ऑर्डर कहाँ है?"]
VI = ["Sản phẩm rất tốt, giao hàng nhanh.", "Đơn hàng của tôi ở đâu?"]
LANGS = [EN] * 10 + [FR, DE, ES, IT, PT, NL, PL, TR, RU, EL, AR, HE, ZH, JA, KO, HI, VI]

CODE = [
    "Try `pip install requests` and then `import requests` in your script.",
    "In Python: `for item in items: print(item['name'])`",
    'The endpoint returns `{{"id": 1, "status": "ok"}}` on success.',
    "Use `Array.prototype.map` instead of a for loop here.",
    "Set `timeout = 30` in config.yaml and restart the service.",
    "```js\nconst res = await fetch('/api/items?page=2');\nconst data = await res.json();\n```",
    "```python\ndef total(xs):\n    return sum(x.price for x in xs)\n```",
    "Run `npm run build` then `npm test` before opening a PR.",
    "The regex `^[a-z0-9_-]{{3,16}}$` validates usernames.",
    "In Go, `if err != nil {{ return err }}` is idiomatic.",
    "Use `git checkout -b feature/login` to start a branch.",
    "CSS: `.card {{ display: flex; gap: 8px; }}`",
    'Add `<meta charset="utf-8">` to the head of your page.',
    "Our SQL guide covers SELECT, JOIN and GROUP BY with simple examples.",
    "Java tip: prefer `List<String> names = new ArrayList<>();` over raw types.",
    "Docker: `docker compose up -d` starts everything in the background.",
    "The formula is `=SUM(A1:A10)/COUNT(A1:A10)` in the spreadsheet.",
    "Rust: `let v: Vec<i32> = Vec::new();`",
    "The function `calculate_tax(amount, rate)` returns a Decimal.",
    "Kotlin data class: `data class User(val id: Long, val name: String)`",
]
MARKDOWN = [
    "# Release notes\n\n* Fixed login bug\n* Improved search speed\n\nSee [docs](https://docs.{domain}/release).",
    "## Steps to reproduce\n\n1. Open the app\n2. Tap **Settings**\n3. Choose _Account_\n\nExpected: no crash.",
    "| Name | Qty | Price |\n|---|---|---|\n| {product} | {n} | ${price} |\n| Shipping | 1 | $4.99 |",
    '> Quote of the day: "Simplicity is the soul of efficiency."\n\n-- Austin Freeman',
    "**Important:** the meeting moved to *Thursday*. ~~Wednesday~~ is cancelled.",
    "- [x] write tests\n- [ ] update docs\n- [ ] release v{n}.0",
    "![screenshot](https://cdn.{domain}/img/{uuid}.png)\n\nThe button is misaligned on mobile.",
]
ADJ = "reliable cheap sturdy lightweight beautiful compact powerful quiet durable affordable".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday tomorrow".split()
TAGS = "sale new featured eco kids outdoor office gift clearance premium".split()


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)  # noqa: S311 - a reproducible corpus, not secrets

    def pick(self, xs: list[str]) -> str:
        return xs[self.r.randrange(len(xs))]

    def name(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def email(self) -> str:
        first = self.pick(["john.smith", "m.obrien", "anna_k", "dev+alerts", "o'connor.p", "li.wei", "sales", "x.y"])
        return f"{first}{self.r.randrange(100)}@{self.pick(DOMAINS)}"

    def url(self) -> str:
        path = "/".join(
            self.pick(["products", "blog", "2024", "help", "en-us", "item", "search", "docs"]) for _ in range(2)
        )
        q = self.pick(["", f"?page={self.r.randrange(9)}", f"?q={self.pick(ADJ)}+{self.pick(TAGS)}&sort=price", "#top"])
        return f"https://www.{self.pick(DOMAINS)}/{path}{q}"

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def b64(self, n: int) -> str:
        return base64.b64encode(self.r.randbytes(n)).decode()

    def fill(self, template: str) -> str:
        return template.format(
            product=self.pick(PRODUCTS),
            adj=self.pick(ADJ),
            day=self.pick(DAYS),
            n=self.r.randrange(2, 9999),
            city=self.pick(CITIES),
            email=self.email(),
            last=self.pick(LAST),
            domain=self.pick(DOMAINS),
            price=f"{self.r.randrange(1, 500)}.{self.r.randrange(100):02d}",
            uuid=self.uuid(),
        )

    def prose(self) -> str:
        lang = self.pick(LANGS)  # type: ignore[arg-type]
        return " ".join(self.fill(self.pick(lang)) for _ in range(self.r.randrange(1, 4)))

    def text(self) -> str:
        roll = self.r.random()
        if roll < 0.70:
            return self.prose()
        if roll < 0.85:
            return self.fill(self.pick(CODE))
        return self.fill(self.pick(MARKDOWN))


def _timestamp(g: Gen) -> str:
    month, day, hour, minute = g.r.randrange(1, 13), g.r.randrange(1, 29), g.r.randrange(24), g.r.randrange(60)
    return f"2024-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00Z"


def _bodies(g: Gen) -> tuple[str, str, str, dict[str, object] | None, str]:
    """(category, method, uri, json body or None, description)."""
    kind = g.r.randrange(10)
    if kind == 0:
        return (
            "benign-review",
            "POST",
            f"/api/v1/products/{g.r.randrange(1, 99999)}/reviews",
            {
                "rating": g.r.randrange(1, 6),
                "title": g.prose()[:60],
                "body": g.text(),
                "author": g.name(),
                "verified": g.r.random() < 0.5,
            },
            "product review",
        )
    if kind == 1:
        return (
            "benign-ticket",
            "POST",
            "/api/v2/support/tickets",
            {
                "subject": g.prose()[:80],
                "message": g.text(),
                "email": g.email(),
                "priority": g.pick(["low", "normal", "high"]),
                "attachments": [
                    {"filename": f"screenshot-{g.r.randrange(99)}.png", "content": g.b64(g.r.randrange(24, 90))}
                ]
                if g.r.random() < 0.3
                else [],
            },
            "support ticket",
        )
    if kind == 2:
        return (
            "benign-profile",
            "PATCH",
            f"/api/users/{g.uuid()}",
            {
                "display_name": g.name(),
                "bio": g.text(),
                "website": g.url(),
                "location": g.pick(CITIES),
                "email": g.email(),
            },
            "profile update",
        )
    if kind == 3:
        return (
            "benign-order",
            "POST",
            "/api/orders",
            {
                "customer": {
                    "name": g.name(),
                    "email": g.email(),
                    "phone": f"+{g.r.randrange(1, 99)} {g.r.randrange(100, 999)} {g.r.randrange(1000, 9999)}",
                },
                "items": [
                    {"sku": f"SKU-{g.r.randrange(10000, 99999)}", "name": g.pick(PRODUCTS), "qty": g.r.randrange(1, 5)}
                    for _ in range(g.r.randrange(1, 4))
                ],
                "shipping_address": f"{g.r.randrange(1, 300)} {g.pick(LAST)} Street, {g.pick(CITIES)}",
                "notes": g.prose() if g.r.random() < 0.6 else "",
                "coupon": g.pick(["", "WELCOME10", "SPRING-2024", "FREESHIP"]),
            },
            "order",
        )
    if kind == 4:
        return (
            "benign-comment",
            "POST",
            f"/api/posts/{g.r.randrange(1, 9999)}/comments",
            {
                "text": g.text(),
                "parent_id": g.uuid() if g.r.random() < 0.3 else None,
                "mentions": [f"@{g.pick(FIRST).lower()}"] if g.r.random() < 0.2 else [],
            },
            "comment",
        )
    if kind == 5:
        return (
            "benign-message",
            "POST",
            "/api/chat/messages",
            {
                "conversation_id": g.uuid(),
                "from": g.name(),
                "body": g.prose(),
                "sent_at": _timestamp(g),
            },
            "chat message",
        )
    if kind == 6:
        return (
            "benign-document",
            "PUT",
            f"/api/docs/{g.uuid()}",
            {
                "title": g.prose()[:50],
                "markdown": g.fill(g.pick(MARKDOWN)) + "\n\n" + g.text(),
                "tags": g.r.sample(TAGS, 2),
                "thumbnail_b64": g.b64(g.r.randrange(30, 120)),
            },
            "document",
        )
    if kind == 7:
        return (
            "benign-event",
            "POST",
            "/api/analytics/events",
            {
                "event": g.pick(["page_view", "add_to_cart", "checkout", "search", "signup"]),
                "user_id": g.uuid(),
                "url": g.url(),
                "referrer": g.url(),
                "properties": {"query": g.prose()[:40], "value": g.r.randrange(1000)},
                "token": g.b64(32),
            },
            "analytics event",
        )
    if kind == 8:
        return (
            "benign-form",
            "POST",
            "/api/contact",
            {
                "name": g.name(),
                "company": f"{g.pick(LAST)} & {g.pick(LAST)} Ltd.",
                "email": g.email(),
                "message": g.text(),
            },
            "contact form",
        )
    return "benign-search", "GET", "/api/search", None, "search"


def make_row(g: Gen, index: int) -> dict[str, object]:
    category, method, uri, body, desc = _bodies(g)
    headers = {
        "Host": "api.example.com",
        "User-Agent": g.pick(
            [
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/124.0 Safari/537.36",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                "Version/17.4 Mobile/15E148",
                "okhttp/4.12.0",
                "MyShopApp/3.2.1 (Android 14; Pixel 8)",
                "python-requests/2.31.0",
            ]
        ),
        "Accept": "application/json",
        "Authorization": f"Bearer {g.b64(24)}",
    }
    payload = b""
    if body is None:
        from urllib.parse import urlencode

        params = {
            "q": g.prose()[:80],
            "page": str(g.r.randrange(1, 20)),
            "sort": g.pick(["price", "-created", "relevance"]),
        }
        uri = f"{uri}?{urlencode(params)}"
    else:
        headers["Content-Type"] = "application/json"
        payload = json.dumps(body, ensure_ascii=g.r.random() < 0.3).encode("utf-8")
    return {
        "id": f"benign-{index:05d}",
        "source": "apiward benign API corpus (generated by scripts/make_benign_corpus.py)",
        "category": category,
        "label": "benign",
        "desc": desc,
        "request": {"method": method, "uri": uri, "headers": headers, "body_b64": base64.b64encode(payload).decode()},
    }


def main() -> int:
    g = Gen(SEED)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="benign-api.jsonl", mode="wb", fileobj=buffer, mtime=0) as gz:
        for i in range(ROWS):
            gz.write(json.dumps(make_row(g, i), ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(buffer.getvalue())
    print(f"wrote {ROWS} rows to {OUT}")  # noqa: T201 - a command-line script
    return 0


if __name__ == "__main__":
    sys.exit(main())
