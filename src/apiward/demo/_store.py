"""In-memory state of one demo app instance: people, accounts, orders, invoices, webhooks, reports, products.

Products live in an SQLite ``:memory:`` database because the SQL-injection flaw needs a real SQL
engine; everything else is plain dictionaries owned by the app's event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from apiward.demo._identities import SEEDED_USERS
from apiward.demo._vfs import FILES_ROOT, VirtualFileSystem

__all__ = ["Account", "Invoice", "Order", "Report", "Store", "User", "Webhook", "hash_password"]

_ITERATIONS = 20_000
_MAX_SQL_SLEEP_S = 3.0


def hash_password(password: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _ITERATIONS).hex()
    return f"pbkdf2_sha256${_ITERATIONS}${salt}${digest}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, _, salt, _ = stored.split("$", 3)
    except ValueError:
        return False
    return hmac.compare_digest(hash_password(password, salt), stored)


@dataclass(slots=True)
class User:
    id: int
    username: str
    email: str
    password_hash: str
    role: str
    display_name: str
    api_key: str
    phone: str = "+1-555-0100"
    ssn: str = "078-05-1120"
    verified: bool = False
    is_admin: bool = False
    created_at: str = "2024-01-01T00:00:00Z"


@dataclass(slots=True)
class Account:
    id: int
    owner_id: int
    name: str
    iban: str
    balance: float
    currency: str = "EUR"


@dataclass(slots=True)
class Order:
    id: int
    owner_id: int
    account_id: int
    item: str
    quantity: int
    unit_price: float
    status: str = "placed"
    note: str = ""


@dataclass(slots=True)
class Invoice:
    id: int
    owner_id: int
    order_id: int
    amount: float
    status: str = "open"
    file: str = ""


@dataclass(slots=True)
class Webhook:
    id: int
    owner_id: int
    url: str
    events: list[str] = field(default_factory=list)
    deleted: bool = False


@dataclass(slots=True)
class Report:
    id: int
    owner_id: int
    title: str
    period: str


_PRODUCTS = [
    ("Blue mug", "kitchen", 9.5),
    ("Red mug", "kitchen", 9.5),
    ("Chef knife", "kitchen", 49.0),
    ("Paperback: API Security", "books", 29.9),
    ("Hardcover: HTTP Semantics", "books", 54.0),
    ("USB-C cable", "electronics", 12.0),
    ("Headphones", "electronics", 89.0),
    ("Desk lamp", "home", 35.0),
]


class Store:
    """All mutable state of one app instance."""

    def __init__(self, vfs: VirtualFileSystem) -> None:
        self.vfs = vfs
        self.users: dict[int, User] = {}
        self.accounts: dict[int, Account] = {}
        self.orders: dict[int, Order] = {}
        self.invoices: dict[int, Invoice] = {}
        self.webhooks: dict[int, Webhook] = {}
        self.reports: dict[int, Report] = {}
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.revoked_api_keys: dict[str, int] = {}
        self.login_failures: dict[str, list[float]] = {}
        self._ids: dict[str, int] = {}
        self._sql_lock = threading.Lock()
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self._sleep_left = _MAX_SQL_SLEEP_S
        self.db.create_function("sleep", 1, self._sql_sleep)
        self.db.create_function("pg_sleep", 1, self._sql_sleep)
        self.db.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, category TEXT, price REAL)")
        self.db.executemany("INSERT INTO products (name, category, price) VALUES (?, ?, ?)", _PRODUCTS)
        self.db.commit()
        self._seed()

    def next_id(self, kind: str, start: int) -> int:
        value = self._ids.get(kind, start - 1) + 1
        self._ids[kind] = value
        return value

    def _seed(self) -> None:
        for seeded in SEEDED_USERS:
            user = self.add_user(seeded.username, seeded.password, seeded.email, role=seeded.role)
            user.display_name = seeded.display_name
            user.is_admin = seeded.role == "admin"
            user.verified = True
            account = self.add_account(user.id, f"{seeded.display_name}'s current account")
            order = self.add_order(user.id, account.id, "Blue mug", 2, 9.5)
            self.add_invoice(user.id, order.id, 19.0)
        bob = self.user_by_name("bob")
        if bob is not None:
            self.revoked_api_keys["ak_revoked_5f1c0a77e2d94b1e"] = bob.id

    # -- people -------------------------------------------------------------------------------------
    def add_user(self, username: str, password: str, email: str, *, role: str = "user") -> User:
        uid = self.next_id("user", 1)
        user = User(
            id=uid,
            username=username,
            email=email,
            password_hash=hash_password(password),
            role=role,
            display_name=username,
            api_key=f"ak_{secrets.token_hex(12)}",
        )
        self.users[uid] = user
        return user

    def user_by_name(self, username: str) -> User | None:
        return next((u for u in self.users.values() if u.username == username), None)

    def user_by_api_key(self, key: str) -> User | None:
        return next((u for u in self.users.values() if hmac.compare_digest(u.api_key, key)), None)

    # -- resources ----------------------------------------------------------------------------------
    def add_account(self, owner_id: int, name: str) -> Account:
        aid = self.next_id("account", 1)
        account = Account(
            id=aid, owner_id=owner_id, name=name, iban=f"DE89 3704 0044 0532 0130 {aid:02d}", balance=100.0
        )
        self.accounts[aid] = account
        return account

    def add_order(self, owner_id: int, account_id: int, item: str, quantity: int, unit_price: float) -> Order:
        oid = self.next_id("order", 1001)
        order = Order(
            id=oid, owner_id=owner_id, account_id=account_id, item=item, quantity=quantity, unit_price=unit_price
        )
        self.orders[oid] = order
        return order

    def add_invoice(self, owner_id: int, order_id: int, amount: float) -> Invoice:
        iid = self.next_id("invoice", 5001)
        name = f"invoice-{iid}.pdf"
        invoice = Invoice(id=iid, owner_id=owner_id, order_id=order_id, amount=amount, file=name)
        self.invoices[iid] = invoice
        self.vfs.put(f"{FILES_ROOT}/{name}", f"%PDF-1.4\n% demo invoice {iid} for order {order_id}\n".encode())
        return invoice

    def add_webhook(self, owner_id: int, url: str, events: list[str]) -> Webhook:
        wid = self.next_id("webhook", 1)
        hook = Webhook(id=wid, owner_id=owner_id, url=url, events=events)
        self.webhooks[wid] = hook
        return hook

    def add_report(self, owner_id: int, title: str, period: str) -> Report:
        rid = self.next_id("report", 1)
        report = Report(id=rid, owner_id=owner_id, title=title, period=period)
        self.reports[rid] = report
        return report

    # -- products (SQL) -----------------------------------------------------------------------------
    def query_products(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Run one products query (blocking: call it from a worker thread). SQLite errors propagate."""
        with self._sql_lock:
            self._sleep_left = _MAX_SQL_SLEEP_S
            cursor = self.db.execute(sql, params)
            names = [d[0] for d in cursor.description or ()]
            return [dict(zip(names, row, strict=False)) for row in cursor.fetchall()]

    def _sql_sleep(self, seconds: object) -> int:
        """``SLEEP(n)`` / ``pg_sleep(n)`` as MySQL and PostgreSQL offer them; at most 3 s per query, however
        many rows call it, so an injected sleep can never hang a worker."""
        try:
            value = float(seconds)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return 0
        pause = min(self._sleep_left, max(0.0, value))
        self._sleep_left -= pause
        time.sleep(pause)
        return 0
