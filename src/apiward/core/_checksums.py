"""Check-digit algorithms that tell real card numbers and IBANs from look-alike digit runs.

Used wherever apiward classifies or masks sensitive data (scanner, gateway masking, analytics), so
that one definition decides what counts as a payment card.
"""

from __future__ import annotations

__all__ = ["iban_valid", "luhn_valid"]


def luhn_valid(number: str) -> bool:
    """Luhn (mod-10) check over the digits of ``number``; separators (spaces, dashes) are ignored.

    ``False`` when ``number`` holds anything but digits, spaces and dashes, or no digits at all.
    """
    total = 0
    count = 0
    for ch in reversed(number):
        if ch in " -":
            continue
        if not "0" <= ch <= "9":
            return False
        d = ord(ch) - 48
        if count % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
        count += 1
    return count > 0 and total % 10 == 0


def iban_valid(iban: str) -> bool:
    """ISO 13616 mod-97 checksum of an IBAN (spaces ignored, any case)."""
    s = iban.replace(" ", "").upper()
    if not 15 <= len(s) <= 34 or not s.isascii() or not s.isalnum():
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1
