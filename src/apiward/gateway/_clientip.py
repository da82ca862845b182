"""The client's address: the peer, or — only when the peer is a trusted proxy — from ``X-Forwarded-For``."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from apiward.core import ConfigError

__all__ = ["ClientIp"]

_Net = ipaddress.IPv4Network | ipaddress.IPv6Network


class ClientIp:
    def __init__(self, trusted: Sequence[str], *, pointer: str = "trusted_proxies") -> None:
        nets: list[_Net] = []
        for i, value in enumerate(trusted):
            try:
                nets.append(ipaddress.ip_network(value, strict=False))
            except ValueError as exc:
                raise ConfigError(f"{value!r} is not a CIDR network", pointer=f"{pointer}[{i}]") from exc
        self._nets = tuple(nets)
        self._cache: dict[str, bool] = {}

    def _trusted(self, ip: str) -> bool:
        hit = self._cache.get(ip)
        if hit is None:
            try:
                addr = ipaddress.ip_address(ip.strip().strip("[]"))
            except ValueError:
                hit = False
            else:
                hit = any(addr in net for net in self._nets)
            if len(self._cache) > 65536:
                self._cache.clear()
            self._cache[ip] = hit
        return hit

    def resolve(self, peer: str | None, headers: Sequence[tuple[str, str]]) -> str | None:
        """Walk ``X-Forwarded-For`` right to left past trusted proxies; the first untrusted hop is the client."""
        if not self._nets or peer is None or not self._trusted(peer):
            return peer
        chain: list[str] = []
        for k, v in headers:
            if k.lower() == "x-forwarded-for":
                chain.extend(part.strip() for part in v.split(","))
            elif k.lower() == "x-real-ip" and not chain:
                real = v.strip()
                if real:
                    chain.append(real)
        for hop in reversed(chain):
            if not hop:
                continue
            try:
                ipaddress.ip_address(hop.strip("[]"))
            except ValueError:
                return peer  # a malformed chain is not believed
            if not self._trusted(hop):
                return hop.strip("[]")
        return chain[0].strip("[]") if chain and chain[0] else peer
