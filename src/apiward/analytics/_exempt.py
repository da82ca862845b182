"""``Exemptions``: traffic the detectors do not judge (health checkers, load tests, trusted back-office roles)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from apiward.core import ConfigError, SecurityEvent

__all__ = ["Exemptions"]

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Exemptions:
    """Events from these subjects, roles or client networks are recorded but never observed by detectors."""

    subjects: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    networks: tuple[_Network, ...] = field(default=())

    @classmethod
    def build(
        cls, *, subjects: Iterable[str] = (), roles: Iterable[str] = (), networks: Iterable[str] = ()
    ) -> Exemptions:
        """Parse CIDRs / addresses; a bad one is a :class:`ConfigError` naming it."""
        parsed: list[_Network] = []
        for net in networks:
            try:
                parsed.append(ipaddress.ip_network(net, strict=False))
            except ValueError:
                raise ConfigError(f"not an IP network: {net!r}", pointer="analytics.exempt.networks") from None
        return cls(subjects=frozenset(subjects), roles=frozenset(roles), networks=tuple(parsed))

    def __bool__(self) -> bool:
        return bool(self.subjects or self.roles or self.networks)

    def covers(self, event: SecurityEvent) -> bool:
        ident = event.identity
        if ident is not None and (ident.subject in self.subjects or ident.roles & self.roles):
            return True
        if self.networks and event.client_ip:
            try:
                address = ipaddress.ip_address(event.client_ip)
            except ValueError:
                return False
            return any(address in net for net in self.networks)
        return False
