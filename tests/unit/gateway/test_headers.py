"""Proxy header handling and client-address resolution (plain functions, property-tested)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from apiward.gateway._clientip import ClientIp
from apiward.gateway._headers import HOP_BY_HOP, forwarded_headers, strip_hop_by_hop

_NAMES = st.sampled_from(["Host", "Connection", "Keep-Alive", "TE", "Upgrade", "X-A", "x-b", "Accept", "Trailer"])
_HEADERS = st.lists(st.tuples(_NAMES, st.text(alphabet="abc, -", max_size=12)), max_size=12)


@given(_HEADERS)
def test_no_hop_by_hop_header_survives(headers: list[tuple[str, str]]) -> None:
    out = strip_hop_by_hop(headers)
    named = {t.strip().lower() for k, v in headers if k.lower() == "connection" for t in v.split(",")}
    for k, _ in out:
        assert k.lower() not in HOP_BY_HOP
        assert k.lower() not in named
    assert all(h in headers for h in out)  # order and values kept


def test_connection_named_headers_are_dropped() -> None:
    headers = [("Connection", "keep-alive, X-Secret-Hop"), ("X-Secret-Hop", "1"), ("X-Keep", "2")]
    assert strip_hop_by_hop(headers) == [("X-Keep", "2")]


def test_forwarding_headers_extend_the_chain() -> None:
    prior = [
        ("X-Forwarded-For", "203.0.113.1"),
        ("Forwarded", "for=203.0.113.1"),
        ("X-Forwarded-Proto", "ftp"),
        ("Via", "1.1 edge"),
    ]
    out = dict(forwarded_headers(prior, client_ip="2001:db8::1", proto="https", host="api:8443", via="1.1 apiward"))
    assert out["X-Forwarded-For"] == "203.0.113.1, 2001:db8::1"
    assert out["Forwarded"] == 'for=203.0.113.1, for="[2001:db8::1]";proto=https;host="api:8443"'
    assert out["X-Forwarded-Proto"] == "https"
    assert out["X-Forwarded-Host"] == "api:8443"
    assert out["Via"] == "1.1 edge, 1.1 apiward"


@given(st.text(max_size=30))
def test_forwarded_host_cannot_inject_parameters(host: str) -> None:
    out = dict(forwarded_headers([], client_ip="192.0.2.1", proto="http", host=host or None, via="1.1 apiward"))
    element = out["Forwarded"]
    if host and any(c in host for c in ';,"\\ :'):
        assert element.endswith('"')
        inner = element.split(";host=", 1)[1][1:-1]
        assert inner.replace('\\"', "").count('"') == 0


def test_client_ip_trusts_only_configured_proxies() -> None:
    resolver = ClientIp(["10.0.0.0/8"])
    xff = [("X-Forwarded-For", "198.51.100.4, 10.0.0.7")]
    assert resolver.resolve("10.0.0.1", xff) == "198.51.100.4"
    assert resolver.resolve("192.0.2.9", xff) == "192.0.2.9"  # untrusted peer: header ignored
    assert resolver.resolve("10.0.0.1", [("X-Forwarded-For", "junk, 10.0.0.7")]) == "10.0.0.1"
    assert resolver.resolve("10.0.0.1", [("X-Real-IP", "198.51.100.5")]) == "198.51.100.5"
    assert ClientIp([]).resolve("10.0.0.1", xff) == "10.0.0.1"


@given(st.lists(st.ip_addresses().map(str), max_size=5))
def test_client_ip_is_the_peer_or_in_the_chain(chain: list[str]) -> None:
    resolver = ClientIp(["127.0.0.0/8"])
    got = resolver.resolve("127.0.0.1", [("X-Forwarded-For", ", ".join(chain))] if chain else [])
    assert got == "127.0.0.1" or got in chain
