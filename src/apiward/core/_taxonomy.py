"""Names from outside: OWASP API Security Top 10 (2023) categories and CWE ids."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Cwe", "OwaspApi2023"]


class OwaspApi2023(enum.Enum):
    """OWASP API Security Top 10, 2023 edition. The value is the official tag (``API1:2023``)."""

    API1 = "API1:2023"
    API2 = "API2:2023"
    API3 = "API3:2023"
    API4 = "API4:2023"
    API5 = "API5:2023"
    API6 = "API6:2023"
    API7 = "API7:2023"
    API8 = "API8:2023"
    API9 = "API9:2023"
    API10 = "API10:2023"

    @property
    def title(self) -> str:
        return _OWASP_TITLES[self]

    def __str__(self) -> str:
        return self.value


_OWASP_TITLES = {
    OwaspApi2023.API1: "Broken Object Level Authorization",
    OwaspApi2023.API2: "Broken Authentication",
    OwaspApi2023.API3: "Broken Object Property Level Authorization",
    OwaspApi2023.API4: "Unrestricted Resource Consumption",
    OwaspApi2023.API5: "Broken Function Level Authorization",
    OwaspApi2023.API6: "Unrestricted Access to Sensitive Business Flows",
    OwaspApi2023.API7: "Server Side Request Forgery",
    OwaspApi2023.API8: "Security Misconfiguration",
    OwaspApi2023.API9: "Improper Inventory Management",
    OwaspApi2023.API10: "Unsafe Consumption of APIs",
}


@dataclass(frozen=True, slots=True, order=True)
class Cwe:
    """A CWE weakness id, e.g. ``Cwe(639)``; ``str()`` gives ``CWE-639``."""

    id: int

    def __post_init__(self) -> None:
        if self.id <= 0:
            raise ValueError(f"CWE id must be positive, got {self.id}")

    @property
    def url(self) -> str:
        return f"https://cwe.mitre.org/data/definitions/{self.id}.html"

    def __str__(self) -> str:
        return f"CWE-{self.id}"
