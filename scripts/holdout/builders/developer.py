"""Requests closer to attack grammar, scored apart from everyday values: technical writing (group ``tech``),
rich-text HTML and message templates (``markup``), query languages (``querylang``), and developer posts with code,
command lines or a whole README (``code``)."""

from __future__ import annotations

import html
from urllib.parse import quote

from holdout.gen import Gen, clip
from holdout.phrases import EVERYDAY
from holdout.request import Req, json_body, some_id
from holdout.values import EMOTICONS, FIRST_NAMES, PRODUCTS, WORDS


def build_techprose(g: Gen) -> Req:
    if g.chance(0.5):
        req = Req(
            "benign-tech-prose",
            "issue comment (README and docstring prose)",
            "POST",
            f"/api/issues/{some_id(g)}/comments",
        )
        return json_body(
            req, {"body": g.doc_paragraph(), "in_reply_to": g.doc_sentence() if g.chance(0.3) else None}, g
        )
    req = Req("benign-tech-prose", "wiki page (README and docstring prose)", "PUT", f"/api/wiki/{g.pick(WORDS)}")
    sections = [{"heading": clip(g.doc_sentence(), 60), "text": g.doc_paragraph()} for _ in range(g.r.randrange(1, 4))]
    return json_body(req, {"title": clip(g.doc_sentence(), 70), "sections": sections}, g)


def build_changelog(g: Gen) -> Req:
    req = Req(
        "benign-tech-changelog", "release notes (Debian changelogs)", "POST", f"/api/apps/{g.pick(WORDS)}/releases"
    )
    notes = [g.changelog() for _ in range(g.r.randrange(1, 6))]
    return json_body(req, {"version": g.version(), "notes": notes, "published_at": g.date(), "draft": g.chance(0.2)}, g)


def build_techdocs(g: Gen) -> Req:
    req = Req("benign-tech-manpage", "Q&A answer quoting a manual page", "POST", f"/api/questions/{some_id(g)}/answers")
    return json_body(req, {"body": g.techdoc(), "quote": g.techdoc() if g.chance(0.4) else None, "author": g.name()}, g)


def build_legal(g: Gen) -> Req:
    req = Req(
        "benign-tech-legal",
        "terms page (licence texts)",
        "PUT",
        f"/api/cms/pages/{g.pick(['terms', 'licence', 'notices'])}",
    )
    return json_body(
        req, {"title": g.pick(["Terms of use", "Open-source notices", "Licence"]), "body": g.legal_paragraph()}, g
    )


def _richtext(g: Gen) -> str:
    """HTML as rich-text editors (TinyMCE, Quill, CKEditor, Outlook) send it."""
    sentence = html.escape(g.sentence(), quote=False)
    return g.pick(
        [
            f"<p>{sentence}</p><p>{html.escape(g.sentence(), quote=False)}</p>",
            f"<p>Hi {html.escape(g.pick(FIRST_NAMES))},</p><p><br></p><p>{sentence}</p><p>Best,<br>{g.name()}</p>",
            f'<p>{sentence} See <a href="{html.escape(g.url())}" target="_blank" rel="noopener noreferrer">'
            "this page</a>.</p>",
            f"<ul><li>{sentence}</li><li><strong>{g.pick(PRODUCTS)}</strong> &ndash; {g.money()}</li></ul>",
            f'<p style="text-align: center;"><span style="color: rgb(34, 34, 34); font-family: Arial, sans-serif;">'
            f"{sentence}</span></p>",
            f"<h2>{html.escape(clip(g.pick(EVERYDAY), 40))}</h2>"
            f'<p><img src="https://cdn.example.com/u/{g.hexstr(12)}.jpg" '
            f'alt="{html.escape(g.pick(PRODUCTS))}" width="600" height="400"></p>',
            f"<blockquote><p>{sentence}</p></blockquote><p>&mdash; {g.name()}</p>",
            f"<table><thead><tr><th>Item</th><th>Qty</th></tr></thead><tbody><tr><td>{html.escape(g.pick(PRODUCTS))}"
            f"</td><td>{g.r.randrange(1, 9)}</td></tr></tbody></table>",
            f'<div class="MsoNormal">{sentence}<o:p></o:p></div><div class="MsoNormal">&nbsp;<o:p></o:p></div>',
            f"<p>{sentence}&nbsp;<em>{html.escape(g.pick(EMOTICONS))}</em></p><p><code>{g.pick(WORDS)}</code></p>",
            f'<p><a href="mailto:{g.email()}">{html.escape(g.name())}</a> &middot; <a href="tel:+35312345678">'
            f"{g.phone()}</a></p>",
            f"<ol><li><p>{sentence}</p></li><li><p>{html.escape(g.sentence(), quote=False)}</p></li></ol>",
        ]
    )


def build_richtext(g: Gen) -> Req:
    req = Req(
        "benign-richtext", "rich-text HTML from an editor", g.pick(["POST", "PUT"]), f"/api/articles/{some_id(g)}"
    )
    return json_body(
        req,
        {"title": clip(g.sentence(), 60), "content_html": _richtext(g), "excerpt": g.sentence(), "status": "draft"},
        g,
    )


TEMPLATES = [
    "Hi {{first_name}}, your order {{order.number}} ships {{ship_date | date: '%b %d' }}.",
    "Dear *|FNAME|*, thanks for joining *|LIST:COMPANY|*!",
    "Hello %FIRSTNAME%, your appointment is on %DATE% at %TIME%.",
    "Hi {first_name}! Your code is {code}. It expires in {minutes} minutes.",
    "{% if customer.first_name %}Hi {{ customer.first_name }},{% else %}Hello,{% endif %} your cart misses you!",
    "Your verification code is {{code}}. Don't share it with anyone.",
    "Hallo {{ vorname }}, Ihre Bestellung {{ bestellnummer }} ist unterwegs.",
    "[[name]] invited you to [[workspace]].",
    "Hi <%= user.name %>, your password was changed on <%= date %>.",
    "Bonjour {{prénom}}, votre colis arrive le {{date_livraison}}.",
    "{{#items}}- {{name}} x{{qty}}\n{{/items}}Total: {{total}}",
    "Hey @{{username}}, {{count}} new comments on “{{post_title}}”.",
]


def build_template(g: Gen) -> Req:
    req = Req("benign-templates", "notification template", "PUT", f"/api/notifications/templates/{g.pick(WORDS)}")
    return json_body(
        req,
        {
            "name": g.pick(["order_shipped", "welcome", "otp", "reminder"]),
            "channel": g.pick(["email", "sms", "push"]),
            "subject": clip(g.pick(TEMPLATES), 50),
            "body": g.pick(TEMPLATES),
            "locale": g.pick(["en", "de", "fr"]),
        },
        g,
    )


# Structured query languages sent as values (GraphQL bodies, OData, JQL, search syntax).
QUERYLANG = [
    (
        "graphql",
        "query GetUser($id: ID!) {\n  user(id: $id) {\n    id\n    name\n"
        "    orders(first: 10) { edges { node { id total } } }\n  }\n}",
    ),
    (
        "graphql",
        "mutation AddToCart($sku: String!, $qty: Int!) {\n"
        "  addToCart(sku: $sku, qty: $qty) { cart { id itemCount } }\n}",
    ),
    ("graphql", '{ products(filter: {category: "shoes", priceLt: 100}, sort: PRICE_ASC) { id name price } }'),
    ("graphql", 'query { search(q: "o\'brien") { ... on User { id login } ... on Repo { id fullName } } }'),
    ("odata", "$filter=Price gt 20 and Category eq 'Books'&$orderby=Name desc&$top=10"),
    ("odata", "$filter=startswith(LastName, 'O''Br') and City eq 'Dublin'&$select=FirstName,LastName"),
    ("odata", "$filter=CreatedAt ge 2024-01-01T00:00:00Z&$expand=Orders($select=Id,Total)&$count=true"),
    ("jql", 'project = WEB AND status in ("In Progress", Review) AND assignee = currentUser() ORDER BY updated DESC'),
    ("jql", "labels = backend and created >= -7d order by priority desc, created asc"),
    ("jql", 'text ~ "login error" AND fixVersion is EMPTY'),
    ("search", 'is:issue is:open label:"good first issue" language:python'),
    ("search", "title:(red OR blue) AND price:[10 TO 50] -brand:acme"),
    ("search", 'from:anna@example.com subject:"invoice" has:attachment after:2024/01/01'),
    ("search", 'repo:octo/hello-world path:src/*.ts "TODO" NOT fixme'),
    ("sheets", '=IF(AND(B2>=10, C2<5), "order", "skip")'),
    ("sheets", "=VLOOKUP(A2, Prices!A:C, 3, FALSE)"),
    ("mongo", '{"status": {"$in": ["open", "pending"]}, "total": {"$gte": 100}}'),
    ("jsonpath", "$.store.book[?(@.price < 10)].title"),
    ("cron", "*/15 9-17 * * 1-5"),
    ("loopback", '{"where":{"and":[{"price":{"lt":100}},{"name":{"like":"%mug%"}}]},"order":"price ASC","limit":20}'),
    ("loopback", '{"where":{"status":"open"},"include":["author"],"fields":{"id":true,"title":true}}'),
    ("regex", "^[A-Z]{2}\\d{2}[ ]?\\d{4}[ ]?\\d{4}$"),
    ("regex", "^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,}$"),
    ("prometheus", 'sum(rate(http_requests_total{job="api",status=~"5.."}[5m])) by (route)'),
    ("logql", '{app="checkout"} |= "timeout" | json | duration > 2s'),
]


def build_querylang(g: Gen) -> Req:
    lang, text = g.pick(QUERYLANG)
    if lang == "graphql":
        req = Req("benign-querylang", "GraphQL request", "POST", "/graphql")
        return json_body(
            req, {"query": text, "variables": {"id": g.uuid(), "sku": "SKU-1", "qty": 1}, "operationName": None}, g
        )
    if lang == "loopback":
        return Req("benign-querylang", "JSON filter in a query", "GET", f"/api/products?filter={quote(text)}")
    if lang == "odata":
        return Req("benign-querylang", "OData query", "GET", f"/odata/Products?{quote(text, safe='=&$,()')}")
    req = Req("benign-querylang", f"{lang} expression", "POST", "/api/saved-searches")
    return json_body(req, {"name": clip(g.sentence(), 40), "language": lang, "expression": text}, g)


# Fenced code as it appears in documentation-like posts. Counted apart (benign-code-*).
CODE_SNIPPETS: dict[str, list[str]] = {
    "sql": [
        "SELECT id, name, created_at\nFROM users\nWHERE status = 'active'\nORDER BY created_at DESC\nLIMIT 20;",
        "SELECT c.name, COUNT(o.id) AS orders\nFROM customers c\nLEFT JOIN orders o ON o.customer_id = c.id\n"
        "GROUP BY c.name\nHAVING COUNT(o.id) > 5;",
        "UPDATE products SET price = price * 1.1 WHERE category = 'books';",
        "INSERT INTO tags (name) VALUES ('python'), ('sql'), ('o''reilly');",
        "CREATE TABLE invoices (\n  id BIGSERIAL PRIMARY KEY,\n  total NUMERIC(10, 2) NOT NULL,\n"
        "  issued_on DATE DEFAULT CURRENT_DATE\n);",
        "DELETE FROM sessions WHERE expires_at < NOW() - INTERVAL '30 days';",
        "WITH monthly AS (\n  SELECT date_trunc('month', paid_at) AS m, SUM(amount) AS total\n"
        "  FROM payments GROUP BY 1\n)\n"
        "SELECT m, total FROM monthly ORDER BY m;",
        "SELECT name FROM employees WHERE dept_id IN (SELECT id FROM depts WHERE region = 'EMEA');",
    ],
    "python": [
        "import requests\n\nresp = requests.get('https://api.example.com/items', params={'page': 2}, timeout=10)\n"
        "resp.raise_for_status()\nprint(resp.json()['items'][0])",
        "def slugify(title: str) -> str:\n    return re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')",
        "with open('data.csv', newline='') as f:\n    for row in csv.DictReader(f):\n        print(row['name'])",
        "@app.get('/users/{user_id}')\nasync def read_user(user_id: int):\n    return {'id': user_id}",
        "total = sum(item.price * item.qty for item in cart if item.qty > 0)",
        "df = pd.read_sql('SELECT * FROM sales WHERE year = %s', conn, params=(2024,))",
    ],
    "js": [
        "const res = await fetch(`/api/items?page=${page}`);\nconst { items } = await res.json();",
        "document.querySelector('#save').addEventListener('click', () => {\n  form.submit();\n});",
        "const total = cart.reduce((sum, item) => sum + item.price * item.qty, 0);",
        "export default function Button({ label, onClick }) {\n  return <button onClick={onClick}>{label}</button>;\n}",
        "app.get('/health', (req, res) => res.json({ ok: true }));",
        "const el = document.getElementById('price');\nel.textContent = `${price.toFixed(2)} €`;",
    ],
    "shell": [
        "$ pip install -r requirements.txt\n$ python manage.py migrate",
        "curl -s -H 'Accept: application/json' 'https://api.example.com/v1/items?limit=5' | jq '.items[].name'",
        'for f in *.jpg; do convert "$f" -resize 50% "small_$f"; done',
        "tar -xzf backup.tar.gz -C /var/backups && ls -la /var/backups",
        'export PATH="$HOME/.local/bin:$PATH"\nsource ~/.bashrc',
        'docker run --rm -p 8080:80 -v "$(pwd)":/usr/share/nginx/html nginx:alpine',
        "grep -rn 'TODO' src/ | wc -l",
        "find . -name '*.log' -mtime +7 -delete",
    ],
    "html": [
        '<div class="card">\n  <h2>{{ title }}</h2>\n  <p>{{ body }}</p>\n</div>',
        '<a href="https://example.com/docs" target="_blank" rel="noopener">Docs</a>',
        '<img src="/static/logo.png" alt="Logo" width="120">',
    ],
}


def build_code(g: Gen) -> Req:
    pools = {lang: list(snippets) for lang, snippets in CODE_SNIPPETS.items()}
    for lang, snippets in g.t.code.items():
        key = "python" if lang in {"doctest", "python"} else lang
        if key in pools:
            pools[key] += snippets
    lang = g.pick(sorted(pools))
    snippet = g.pick(pools[lang])
    fence = {"doctest": "pycon"}.get(lang, lang)
    body = g.pick(
        [
            f"{g.doc_sentence()}\n\n```{fence}\n{snippet}\n```\n\n{g.doc_sentence()}",
            f"I tried this:\n\n```{fence}\n{snippet}\n```\n\nbut it doesn't work. Any idea?",
            f"{g.doc_paragraph()}\n\n    " + snippet.replace("\n", "\n    "),
        ]
    )
    req = Req(f"benign-code-{lang}", f"post with {lang} code", "POST", f"/api/questions/{some_id(g)}/answers")
    return json_body(req, {"body_markdown": body, "author": g.name(), "accepted": g.chance(0.2)}, g)


SYSADMIN = [
    "Edit /etc/hosts and add a line `127.0.0.1 myapp.local`, then reload the page.",
    "On Windows the file is C:\\Windows\\System32\\drivers\\etc\\hosts; open Notepad as administrator first.",
    "Check /var/log/nginx/error.log -- it should say why the upstream timed out.",
    "Run `chmod 600 ~/.ssh/id_ed25519` or ssh refuses the key as too open.",
    "The install script is `curl -fsSL https://get.example.com/install.sh | sh`; read it before you run it.",
    "Add `export PATH=$HOME/.cargo/bin:$PATH` to ~/.bashrc and open a new terminal.",
    "Our cron job is `0 3 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1`.",
    "sudo apt update && sudo apt install -y postgresql-15 fixed it for me.",
    "Config lives in ~/.config/{pkg}/config.toml (or %APPDATA%\\{pkg}\\config.toml on Windows).",
    "If `systemctl status {pkg}` shows 'failed', try `journalctl -u {pkg} --since today`.",
    "The container can't resolve DNS; check /etc/resolv.conf inside it: `docker exec -it web cat /etc/resolv.conf`.",
    "Mount the share with `sudo mount -t cifs //nas/photos /mnt/photos -o user={pkg}`.",
    "Use `kill -9 <pid>` only as a last resort; `kill <pid>` lets the process clean up.",
    "The path is /proc/cpuinfo on Linux; on macOS use `sysctl -n machdep.cpu.brand_string`.",
    "Set `max_connections = 200` in postgresql.conf and restart; don't forget shared_buffers.",
]


def build_sysadmin(g: Gen) -> Req:
    req = Req("benign-code-sysadmin", "sysadmin help with commands and system paths", "POST", "/api/community/answers")
    text = " ".join(g.fill(g.pick(SYSADMIN)) for _ in range(g.r.randrange(1, 3)))
    return json_body(req, {"question_id": g.r.randrange(10**6), "body": text, "author": g.name()}, g)


def build_readme_upload(g: Gen) -> Req:
    """A package upload carrying a whole README as its long description (multipart, as registries take it)."""
    readme = g.pick(g.t.readmes) if g.t.readmes else "\n\n".join(g.markdown() for _ in range(3))
    boundary = f"----------------{g.hexstr(24)}"
    fields = [
        ("name", g.pick(WORDS) + "-" + g.pick(WORDS)),
        ("version", g.version()),
        ("summary", clip(g.doc_sentence(), 90)),
        ("description_content_type", g.pick(["text/markdown", "text/x-rst"])),
        ("description", readme),
        ("requires_python", g.pick([">=3.9", ">=3.8,<4", "~=3.11"])),
    ]
    parts = [f'Content-Disposition: form-data; name="{k}"\r\n\r\n{v}'.encode() for k, v in fields]
    body = b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode()
    req = Req("benign-code-readme", "package upload with a whole README", "POST", "/legacy/")
    req.headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    req.body = body
    return req
