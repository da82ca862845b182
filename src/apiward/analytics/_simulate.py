"""A deterministic traffic generator: normal users plus attackers, as gateway request events.

Used to evaluate the detectors (tests, benchmarks, ``apiward`` demos): every attacker has the detector
ids that must catch it; normal users must raise nothing. Time is simulated (event timestamps), so half
an hour of traffic replays in a second and judges exactly like live traffic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from apiward.core import Decision, Identity, Operation, SecurityEvent, token_fingerprint

__all__ = ["Actor", "Scenario", "generate"]

T0 = 1_700_000_000.0
_ORDERS = Operation(method="GET", path="/orders/{id}")
_PRODUCTS = Operation(method="GET", path="/products")
_PROFILE = Operation(method="GET", path="/me")
_LOGIN = Operation(method="POST", path="/login")
_CART = Operation(method="POST", path="/cart/items")


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    #: the principal the detectors report (kind, value)
    principal: tuple[str, str]
    #: detector ids that must catch this actor (empty for normal users)
    expected: frozenset[str] = frozenset()


@dataclass(slots=True)
class Scenario:
    events: list[SecurityEvent] = field(default_factory=list)
    normal: list[Actor] = field(default_factory=list)
    attackers: list[Actor] = field(default_factory=list)


def _event(
    who: str | None,
    op: Operation,
    path: str,
    t: float,
    *,
    ip: str,
    ua: str,
    status: int = 200,
    nbytes: int = 2_000,
    token: str | None = None,
    detail: dict[str, object] | None = None,
) -> SecurityEvent:
    identity = None
    if who is not None:
        identity = Identity(subject=who, kind="jwt", token_fingerprint=token_fingerprint(token or f"token-of-{who}"))
    return SecurityEvent(
        kind="request",
        decision=Decision.ALLOW if status < 400 else Decision.DENY if status in (401, 403) else Decision.ALLOW,
        timestamp=t,
        operation=op,
        method=op.method,
        path=path,
        status=status,
        client_ip=ip,
        user_agent=ua,
        identity=identity,
        response_bytes=nbytes,
        latency_ms=5.0,
        detail=detail or {},
    )


def _normal_user(rng: random.Random, i: int, start: float, duration_s: float, out: list[SecurityEvent]) -> Actor:
    name = f"user{i:03d}"
    home_ip = f"10.1.{i // 200}.{i % 200 + 1}"
    ips = [home_ip, f"172.16.{i % 50}.{rng.randint(1, 250)}"] if rng.random() < 0.3 else [home_ip]
    ua = rng.choice(["shop-ios/5.2", "shop-android/5.1", "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0"])
    orders = rng.sample(range(i * 1000, i * 1000 + 900), 6)
    t = start + rng.uniform(0, 60)
    # an occasional typo at login, then success
    if rng.random() < 0.3:
        out.append(_event(None, _LOGIN, "/login", t, ip=home_ip, ua=ua, status=401, detail={"username": name}))
        t += rng.uniform(2, 8)
    out.append(_event(None, _LOGIN, "/login", t, ip=home_ip, ua=ua, detail={"username": name}))
    while t < start + duration_s:
        t += rng.expovariate(1 / rng.uniform(6, 20))  # a request every 6-20 s on average
        ip = rng.choice(ips)
        roll = rng.random()
        if roll < 0.35:
            out.append(
                _event(name, _ORDERS, f"/orders/{rng.choice(orders)}", t, ip=ip, ua=ua, nbytes=rng.randint(800, 4000))
            )
        elif roll < 0.75:
            page = rng.randint(1, 5)
            out.append(
                _event(name, _PRODUCTS, f"/products?page={page}", t, ip=ip, ua=ua, nbytes=rng.randint(5000, 30000))
            )
        elif roll < 0.9:
            out.append(_event(name, _PROFILE, "/me", t, ip=ip, ua=ua, nbytes=600))
        elif roll < 0.98:
            out.append(_event(name, _CART, "/cart/items", t, ip=ip, ua=ua, status=201, nbytes=300))
        else:
            out.append(
                _event(name, _ORDERS, f"/orders/{rng.randint(1, 10**6)}", t, ip=ip, ua=ua, status=404, nbytes=120)
            )
    return Actor(name, ("identity", name))


def generate(
    *, users: int = 40, duration_s: float = 1800.0, seed: int = 7, start: float = T0, scrape_pages: int = 900
) -> Scenario:
    """Normal users for ``duration_s``; attackers act in the last third (after building some history).

    ``scrape_pages`` (about 50 kB each) sizes the scraper's haul.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible traffic, not security
    scenario = Scenario()
    events = scenario.events
    for i in range(users):
        scenario.normal.append(_normal_user(rng, i, start, duration_s, events))
    attack = start + duration_s * 2 / 3

    # Enumerator: a real customer who walks other customers' orders, id by id.
    enum = _normal_user(rng, 900, start, attack - start, events)
    t = attack
    for n in range(150):
        t += rng.uniform(0.3, 1.5)
        events.append(
            _event(
                enum.name,
                _ORDERS,
                f"/orders/{500_000 + n}",
                t,
                ip="10.1.9.9",
                ua="python-requests/2.31",
                status=403,
                nbytes=90,
            )
        )
    scenario.attackers.append(Actor(enum.name, enum.principal, frozenset({"ANL-BOLA-001", "ANL-BOLA-002"})))

    # Credential stuffer: one IP, a leaked list of usernames, almost all failures.
    t = attack
    for n in range(120):
        t += rng.uniform(0.5, 2.0)
        events.append(
            _event(
                None,
                _LOGIN,
                "/login",
                t,
                ip="203.0.113.66",
                ua="Mozilla/5.0",
                status=401,
                detail={"username": f"victim{n}@mail.test"},
            )
        )
    scenario.attackers.append(Actor("stuffer", ("ip", "203.0.113.66"), frozenset({"ANL-AUTH-001"})))

    # Token sharer: one customer's token replayed from many networks.
    sharer = _normal_user(rng, 901, start, attack - start, events)
    token = f"token-of-{sharer.name}"
    t = attack
    for n in range(40):
        t += rng.uniform(1, 10)
        events.append(
            _event(
                sharer.name,
                _PROFILE,
                "/me",
                t,
                ip=f"198.51.100.{n % 12 + 1}",
                ua=f"client-{n % 7}",
                token=token,
                nbytes=600,
            )
        )
    scenario.attackers.append(Actor(sharer.name, ("token", token_fingerprint(token)), frozenset({"ANL-TOKEN-001"})))

    # Scraper: a customer with a normal history who suddenly pulls the whole catalogue.
    scraper = _normal_user(rng, 902, start, attack - start, events)
    t = attack
    for n in range(scrape_pages):
        t += rng.uniform(0.05, 0.2)
        events.append(
            _event(
                scraper.name,
                _PRODUCTS,
                f"/products?page={n}",
                t,
                ip="10.1.9.10",
                ua="shop-ios/5.2",
                nbytes=rng.randint(40_000, 60_000),
            )
        )
    scenario.attackers.append(Actor(scraper.name, scraper.principal, frozenset({"ANL-EXFIL-001", "ANL-RATE-001"})))

    events.sort(key=lambda e: e.timestamp)
    return scenario
