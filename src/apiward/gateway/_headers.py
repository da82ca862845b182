"""Header handling for a proxy (RFC 9110 §7.6): hop-by-hop removal and the forwarding headers."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["HOP_BY_HOP", "forwarded_headers", "strip_hop_by_hop"]

#: Always hop-by-hop, plus whatever ``Connection`` names.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


def strip_hop_by_hop(
    headers: Iterable[tuple[str, str]], *, drop: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """Headers without hop-by-hop ones (fixed list, those named in ``Connection``, and ``drop``)."""
    out: list[tuple[str, str]] = []
    named: set[str] | None = None
    for k, v in headers:
        low = k.lower()
        if low == "connection":
            tokens = {token.strip().lower() for token in v.split(",") if token.strip()}
            named = tokens if named is None else named | tokens
        elif low not in HOP_BY_HOP and low not in drop:
            out.append((k, v))
    if named:  # rare: a second pass only when Connection names extra headers
        out = [(k, v) for k, v in out if k.lower() not in named]
    return out


def _quote_node(ip: str) -> str:
    return f'"[{ip}]"' if ":" in ip else ip


def forwarded_headers(
    headers: list[tuple[str, str]], *, client_ip: str | None, proto: str, host: str | None, via: str
) -> list[tuple[str, str]]:
    """Append ``Forwarded``, ``X-Forwarded-For/-Proto/-Host`` and ``Via`` (extending any existing chain).

    ``X-Forwarded-Proto``/``-Host`` are replaced, not appended: this hop states what it saw.
    """
    out: list[tuple[str, str]] = []
    prior_forwarded = prior_xff = prior_via = None
    for k, v in headers:
        low = k.lower()
        if low == "forwarded":
            prior_forwarded = f"{prior_forwarded}, {v}" if prior_forwarded else v
        elif low == "x-forwarded-for":
            prior_xff = f"{prior_xff}, {v}" if prior_xff else v
        elif low == "via":
            prior_via = f"{prior_via}, {v}" if prior_via else v
        elif low in ("x-forwarded-proto", "x-forwarded-host"):
            continue
        else:
            out.append((k, v))
    node = client_ip or "unknown"
    element = f"for={_quote_node(node)};proto={proto}"
    if host:
        quoted = host.replace("\\", "\\\\").replace('"', '\\"')
        element += f';host="{quoted}"' if any(c in host for c in ':;,"\\ ') else f";host={host}"
    out.append(("Forwarded", f"{prior_forwarded}, {element}" if prior_forwarded else element))
    out.append(("X-Forwarded-For", f"{prior_xff}, {node}" if prior_xff else node))
    out.append(("X-Forwarded-Proto", proto))
    if host:
        out.append(("X-Forwarded-Host", host))
    out.append(("Via", f"{prior_via}, {via}" if prior_via else via))
    return out
