"""Random values of realistic shapes (names, dates, prose, ids, tokens, file blobs, URLs, paths, passwords) drawn
from one seeded generator, the value tables and the real-text pools."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import random
import re
import struct
import unicodedata
import uuid
import zlib
from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import quote

from holdout.phrases import (
    BUSINESS,
    CHAT,
    EVERYDAY,
    I18N,
    MARKDOWN,
    MONTHS,
    OPENERS,
    PACKAGES,
    QUOTED,
    REQUESTS,
    SUPPORT,
    TAILS,
    WEEKDAYS,
)
from holdout.texts import PRINTF, Texts
from holdout.values import (
    CITIES,
    EMOTICONS,
    FIRST_NAMES,
    LAST_NAMES,
    MONEY,
    PHONES,
    PRODUCTS,
    SEARCH_TERMS,
    STREETS,
    TLDS,
    WORDS,
)

T = TypeVar("T")


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def png(r: random.Random) -> bytes:
    width, height = r.randrange(1, 64), r.randrange(1, 64)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    data = zlib.compress(r.randbytes(r.randrange(20, 200)))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _pdf(r: random.Random, title: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 712 Td ({title[:60]}) Tj ET".encode("latin-1", "replace")
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"4 0 obj\n<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n"
        b"trailer\n<< /Root 1 0 R /Size " + str(r.randrange(5, 40)).encode() + b" >>\n%%EOF\n"
    )


def _protobuf(r: random.Random) -> bytes:
    out = bytearray()
    for tag in range(1, r.randrange(3, 9)):
        if r.random() < 0.5:
            out += bytes([tag << 3, r.randrange(128)])
        else:
            body = r.randbytes(r.randrange(2, 24))
            out += bytes([(tag << 3) | 2, len(body)]) + body
    return bytes(out)


def clip(text: str, limit: int) -> str:
    """Shorten to ``limit`` characters at a word boundary, as a UI would."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return (cut or text[:limit]) + "…"


def slugify(text: str) -> str:
    """A URL slug as CMSs make them (ASCII letters and digits joined by hyphens)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "post"


def ascii_fold(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9'-]", "", folded).strip("'-")


class Gen:
    """Random values of realistic shapes from one seeded generator and the real-text pools."""

    def __init__(self, seed: int, texts: Texts) -> None:
        self.r = random.Random(seed)  # noqa: S311 - a reproducible corpus, not secrets
        self.t = texts

    def pick(self, xs: Sequence[T]) -> T:
        return xs[self.r.randrange(len(xs))]

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    # --- people and places ----------------------------------------------------------------------------------
    def name(self) -> str:
        name = f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"
        roll = self.r.random()
        if roll < 0.1:  # phones type the typographic apostrophe
            return name.replace("'", "’")
        if roll < 0.15:
            return self.pick([f"Dr. {name}", f"{name} Jr.", f"{name} III", f"Prof. {name}, PhD", f"{name} (née Smith)"])
        if roll < 0.18:
            first, _, last = name.partition(" ")
            return f'{first} "{self.pick(["Bob", "Bibi", "Sandy", "Jo"])}" {last}'
        return name

    def email(self) -> str:
        first, last = ascii_fold(self.pick(FIRST_NAMES)), ascii_fold(self.pick(LAST_NAMES))
        first, last = first or self.pick(WORDS), last or self.pick(WORDS)
        local = self.pick(
            [
                f"{first}.{last}",
                f"{first}{last.replace(chr(39), '')}",
                f"{first}+orders",
                f"{first[:1]}{last}{self.r.randrange(99)}",
                f"{last}_{first}",
                f"{first}.{last}",
            ]
        )
        return f"{local}@{self.pick(['example', 'mail.example', 'corp-example', 'example-shop'])}.{self.pick(TLDS)}"

    def address(self) -> str:
        n, m, d = self.r.randrange(1, 300), self.r.randrange(1, 99), self.r.randrange(1, 12)
        return self.pick(STREETS).format(n=n, m=m, d=d, n2=self.r.randrange(1, 2000), last=self.pick(LAST_NAMES))

    def phone(self) -> str:
        return self.pick(PHONES).format(
            a=self.r.randrange(100, 999),
            b=self.r.randrange(1000, 9999),
            a4=self.r.randrange(1000, 9999),
            p2=f"{self.r.randrange(100):02d}",
        )

    def date(self) -> str:
        y, mo, d, h, mi = (
            self.r.randrange(2019, 2027),
            self.r.randrange(1, 13),
            self.r.randrange(1, 29),
            self.r.randrange(24),
            self.r.randrange(60),
        )
        return self.pick(
            [
                f"{y}-{mo:02d}-{d:02d}",
                f"{d:02d}/{mo:02d}/{y}",
                f"{mo}/{d}/{y % 100:02d}",
                f"{MONTHS[mo - 1]} {d}, {y}",
                f"{d}. {['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni'][mo % 6]} {y}",
                f"{self.pick(WEEKDAYS)[:3]}, {d:02d} {MONTHS[mo - 1][:3]} {y} {h:02d}:{mi:02d}:00 GMT",
                f"{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{self.r.randrange(60):02d}.{self.r.randrange(1000):03d}Z",
                f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:00+05:30",
                f"{d}.{mo}.{y}",
                f"{y}年{mo}月{d}日",
                f"Q{(mo - 1) // 3 + 1} {y}",
                f"{h % 12 or 12}:{mi:02d} {'am' if h < 12 else 'pm'}",
                str(1_600_000_000 + self.r.randrange(200_000_000)),
            ]
        )

    def money(self) -> str:
        if self.chance(0.5):
            return self.pick(MONEY)
        return f"{self.pick(['$', '€', '£', ''])}{self.r.randrange(1, 5000)}.{self.r.randrange(100):02d}"

    # --- text -----------------------------------------------------------------------------------------------
    def fill(self, template: str) -> str:
        return template.format(
            name=self.name(),
            city=self.pick(CITIES),
            n=self.r.randrange(2, 99_999),
            date=self.date(),
            money=self.money(),
            product=self.pick(PRODUCTS),
            email=self.email(),
            month=self.pick(MONTHS),
            weekday=self.pick(WEEKDAYS),
            weekday2=self.pick(WEEKDAYS),
            first=self.pick(FIRST_NAMES),
            handle=ascii_fold(self.pick(FIRST_NAMES)).replace("'", "") + self.pick(["", "_", "."]) + self.pick(WORDS),
            last=self.pick(LAST_NAMES),
            d=self.r.randrange(1, 120),
            pkg=self.pick(PACKAGES),
            PKG=self.pick(PACKAGES).upper(),
        )

    def sentence(self) -> str:
        """Everyday prose (templates); now and then HTML-escaped twice over, as some CMSs store it."""
        roll = self.r.random()
        pool = EVERYDAY if roll < 0.55 else BUSINESS if roll < 0.75 else CHAT if roll < 0.9 else QUOTED
        text = self.fill(self.pick(pool))
        roll = self.r.random()
        if roll < 0.04:
            text = text.replace("&", "&amp;").replace("'", self.pick(["&#39;", "&#x27;", "&apos;", "&rsquo;"]))
        elif roll < 0.2:  # smart punctuation of phone keyboards and word processors
            text = re.sub(r'"([^"]*)"', r"“\1”", text.replace("'", "’"))
        return text

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randrange(2, 5)))

    def business_request(self) -> str:
        """Opener + request + tail: SQL-ish verbs, quotes and 'or' in combinations people write."""
        opener = self.fill(self.pick(OPENERS))
        request = self.fill(self.pick(REQUESTS))
        if not opener or opener.endswith(": "):
            request = request[:1].upper() + request[1:]
        return opener + request + self.fill(self.pick(TAILS))

    def doc_sentence(self) -> str:
        """A sentence of real technical writing (READMEs, docstrings)."""
        pool = self.t.sentences.get("docs")
        return self.pick(pool) if pool else self.sentence()

    def doc_paragraph(self) -> str:
        pool = self.t.paragraphs.get("docs")
        return self.pick(pool) if pool else self.paragraph()

    def legal_paragraph(self) -> str:
        pool = self.t.paragraphs.get("legal")
        return self.pick(pool) if pool else self.paragraph()

    def ui_text(self, lang: str) -> str:
        """A real translated UI message with its placeholders filled in."""
        messages = self.t.ui.get(lang)
        if not messages:
            return self.i18n()
        return PRINTF.sub(
            lambda _: self.pick(
                [self.filename(), str(self.r.randrange(1, 999)), self.pick(FIRST_NAMES), self.pick(WORDS)]
            ),
            self.pick(messages),
        )

    def country(self, lang: str = "") -> str:
        names = self.t.countries.get(lang) or [n for ns in self.t.countries.values() for n in ns[:3]]
        return self.pick(names) if names else self.pick(["Ireland", "Deutschland", "日本", "Côte d'Ivoire"])

    def changelog(self) -> str:
        return self.pick(self.t.changelog) if self.t.changelog else self.sentence()

    def techdoc(self) -> str:
        if self.t.man_i18n and self.chance(0.25):
            return self.pick(self.t.man_i18n[self.pick(sorted(self.t.man_i18n))])
        return self.pick(self.t.techdocs) if self.t.techdocs else self.fill(self.pick(SUPPORT))

    def i18n(self, lang: str | None = None) -> str:
        lang = lang or self.pick(list(I18N))
        if lang in self.t.cjk and self.chance(0.2):
            return self.pick(self.t.cjk[lang])
        return " ".join(self.fill(self.pick(I18N[lang])) for _ in range(self.r.randrange(1, 3)))

    def emoticon_text(self) -> str:
        base = self.pick([self.sentence(), self.i18n(), self.fill(self.pick(BUSINESS))])
        return self.pick(
            [
                f"{base} {self.pick(EMOTICONS)}",
                f"{self.pick(EMOTICONS)} {base}",
                f"{base} {self.pick(EMOTICONS)}{self.pick(EMOTICONS)}",
            ]
        )

    def markdown(self) -> str:
        return self.pick(MARKDOWN).format(
            sentence=self.sentence(),
            sentence2=self.sentence(),
            paragraph=self.paragraph(),
            changelog=self.sentence(),
            product=self.pick(PRODUCTS),
            n=self.r.randrange(1, 99),
            money=self.money(),
            tld=self.pick(TLDS),
            version=self.version(),
            date=self.date(),
            hex8=self.hexstr(8),
            word=self.pick(WORDS),
            word2=self.pick(WORDS),
            name=self.name(),
        )

    # --- identifiers and blobs ------------------------------------------------------------------------------
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def hexstr(self, n: int) -> str:
        return self.r.randbytes((n + 1) // 2).hex()[:n]

    def version(self) -> str:
        a, b, c = self.r.randrange(0, 20), self.r.randrange(0, 40), self.r.randrange(0, 100)
        return self.pick(
            [
                f"{a}.{b}.{c}",
                f"{a}.{b}.{c}-beta.{self.r.randrange(9)}",
                f"{a}.{b}.{c}+build.{c}",
                f"{a}.{b}",
                f"{a}.{b}.{c}rc1",
            ]
        )

    def version_spec(self) -> str:
        v = self.version()
        return self.pick(
            [f"^{v}", f"~{v}", f">={v},<{self.r.randrange(20, 30)}", f"=={v}", f"~={v}", v, f"{v} || ^3.0"]
        )

    def jwt(self) -> str:
        header = {"alg": self.pick(["HS256", "RS256", "ES256"]), "typ": "JWT"}
        if self.chance(0.5):
            header["kid"] = self.hexstr(16)
        payload = {
            "sub": self.uuid(),
            "name": self.name(),
            "iat": 1_700_000_000 + self.r.randrange(10**7),
            "scope": self.pick(["read:orders write:orders", "openid profile email", "admin"]),
        }
        sig = b64url(self.r.randbytes(self.pick([32, 64, 256])))
        return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload, ensure_ascii=False).encode())}.{sig}"

    def blob(self) -> tuple[str, bytes]:
        kind = self.pick(["png", "pdf", "protobuf", "gzip", "random", "text"])
        if kind == "png":
            return "image/png", png(self.r)
        if kind == "pdf":
            return "application/pdf", _pdf(self.r, self.sentence())
        if kind == "protobuf":
            return "application/x-protobuf", _protobuf(self.r)
        if kind == "gzip":
            return "application/gzip", gzip.compress(self.paragraph().encode(), mtime=0)
        if kind == "text":
            return "text/plain", self.paragraph().encode()
        return "application/octet-stream", self.r.randbytes(self.r.randrange(16, 300))

    def token_value(self) -> str:
        return self.pick(
            [
                self.uuid(),
                self.uuid().replace("-", ""),
                self.jwt(),
                self.hexstr(32),
                self.hexstr(40),
                self.hexstr(64),
                base64.b64encode(self.r.randbytes(self.r.randrange(12, 48))).decode(),
                b64url(self.r.randbytes(24)),
                f"pi_{b64url(self.r.randbytes(18))}",
                f"cus_{self.hexstr(14).upper()}",
                f"arn:aws:s3:::{self.pick(WORDS)}-bucket/uploads/{self.uuid()}.jpg",
                f"01{''.join(self.pick('0123456789ABCDEFGHJKMNPQRSTVWXYZ') for _ in range(24))}",
                self.hexstr(24),
                str(self.r.randrange(10**17, 10**19)),
                f"sha256:{self.hexstr(64)}",
                f'W/"{self.hexstr(16)}"',
                f"DE{self.r.randrange(10, 99)} {self.r.randrange(1000, 9999)} {self.r.randrange(1000, 9999)} "
                f"{self.r.randrange(1000, 9999)} {self.r.randrange(1000, 9999)} {self.r.randrange(10, 99)}",
                f"**** **** **** {self.r.randrange(1000, 9999)}",
                f"978-{self.r.randrange(0, 9)}-{self.r.randrange(100, 999)}-"
                f"{self.r.randrange(10000, 99999)}-{self.r.randrange(10)}",
                self.version_spec(),
            ]
        )

    def url(self) -> str:
        host = f"{self.pick(['www', 'shop', 'api', 'cdn', 'blog', 'docs'])}.{self.pick(WORDS)}.{self.pick(TLDS)}"
        path = "/".join(
            self.pick(["en-us", "products", "2024", "help", "p", self.pick(WORDS), str(self.r.randrange(999))])
            for _ in range(self.r.randrange(1, 4))
        )
        query = self.pick(
            [
                "",
                f"?utm_source=newsletter&utm_medium=email&utm_campaign={self.pick(WORDS)}_{self.r.randrange(99)}",
                f"?q={quote(self.pick(SEARCH_TERMS))}&page={self.r.randrange(1, 9)}",
                f"?ref={self.hexstr(8)}#reviews",
                f"?id={self.r.randrange(99999)}&lang=de",
                f"?fbclid={b64url(self.r.randbytes(30))}",
            ]
        )
        return f"https://{host}/{path}{query}"

    def filename(self) -> str:
        base = self.pick(
            [
                "report (final)",
                "IMG_{d}_{t}",
                "Résumé – {name}",
                "budget_2024-Q3 v2 (copy)",
                "{name} CV",
                "Scan {d}",
                "invoice #{n}",
                "notes & ideas",
                "Screenshot {d} at {t}",
                "contract_signed[1]",
                "photo #{n} 😀",
                "データ_{n}",
                "слайды {n}",
                "My Document's Title",
                "team-offsite_agenda.v3",
            ]
        ).format(
            d=f"2024-0{self.r.randrange(1, 10)}-1{self.r.randrange(10)}",
            t=f"{self.r.randrange(10, 24)}.{self.r.randrange(10, 60)}.0{self.r.randrange(10)}",
            name=self.name(),
            n=self.r.randrange(1, 9999),
        )
        return f"{base}.{self.pick(['pdf', 'docx', 'xlsx', 'jpg', 'png', 'heic', 'csv', 'txt', 'zip', 'mp4', 'pptx'])}"

    def local_path(self, name: str) -> str:
        user = re.sub(r"[^a-z]", "", self.pick(FIRST_NAMES).lower()) or "user"
        return self.pick(
            [
                f"C:\\Users\\{user}\\Documents\\{name}",
                f"C:\\Users\\{user}\\OneDrive - Example Ltd\\Shared\\{name}",
                f"D:\\Photos\\2024\\{name}",
                f"/Users/{user}/Desktop/{name}",
                f"/home/{user}/Downloads/{name}",
                f"~/Pictures/{name}",
                f"\\\\fileserver\\team\\{name}",
                f"Documents/Projects/{self.pick(WORDS)}/{name}",
            ]
        )

    def csv_line(self) -> str:
        """A small CSV export (comma, semicolon or tab separated, quoted as the csv module quotes)."""
        rows = [["id", "name", "email", "amount", "city", "note"]]
        for _ in range(self.r.randrange(1, 4)):
            amount = f"{self.r.randrange(1, 999)}.{self.r.randrange(100):02d}"
            name = f"{self.pick(LAST_NAMES)}, {self.pick(FIRST_NAMES)}"
            note = clip(self.fill(self.pick(EVERYDAY)), 40)
            rows.append([str(self.r.randrange(1, 9999)), name, self.email(), amount, self.pick(CITIES), note])
        out = io.StringIO()
        csv.writer(out, delimiter=self.pick([",", ";", "\t"]), lineterminator=self.pick(["\n", "\r\n"])).writerows(rows)
        return out.getvalue()

    def password(self) -> str:
        roll = self.r.random()
        if roll < 0.3:
            return "-".join(self.pick(WORDS) for _ in range(4))
        if roll < 0.6:
            return f"{self.pick(WORDS).capitalize()}{self.r.randrange(100, 9999)}{self.pick('!@#$%&*?')}"
        alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#$%^&*-_=+.?"
        return "".join(self.pick(alphabet) for _ in range(self.r.randrange(12, 24)))
