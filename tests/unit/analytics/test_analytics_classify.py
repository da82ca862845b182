"""Sensitive-data classes: each must fire on a real-shaped value and must not on a near miss."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apiward.analytics._classify import classify_text, classify_value
from apiward.core import iban_valid, luhn_valid


def classes(text: str) -> set[str]:
    return {h.data_class for h in classify_text(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contact: jane.doe+api@example.co.uk", "email"),
        ("call +44 20 7946 0958", "phone"),
        ("call (555) 123-4567", "phone"),
        ("card 4111 1111 1111 1111", "card_number"),
        ("card 5500-0000-0000-0004", "card_number"),
        ("IBAN GB82 WEST 1234 5698 7654 32", "iban"),
        ("DE89370400440532013000", "iban"),
        ("ssn 123-45-6789", "us_ssn"),
        ("NI number AB123456C", "uk_nino"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt"),
        ("key AKIAIOSFODNN7EXAMPLE", "api_key"),
        ("ghp_" + "a1B2" * 9, "api_key"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...", "private_key"),
    ],
)
def test_class_fires(text: str, expected: str) -> None:
    assert expected in classes(text)


@pytest.mark.parametrize(
    ("text", "not_expected"),
    [
        ("card 4111 1111 1111 1112", "card_number"),  # Luhn fails
        ("order 1234567890123 shipped", "card_number"),
        ("IBAN GB83 WEST 1234 5698 7654 32", "iban"),  # mod-97 fails
        ("ssn 000-12-3456", "us_ssn"),  # never issued
        ("ssn 666-12-3456", "us_ssn"),
        ("total 1234 5678 9012 on 2024-01-02", "phone"),
        ("user@localhost", "email"),
        ("eyJhbGciOiJIUzI1NiJ9 alone", "jwt"),
        ("AKIA-not-a-key", "api_key"),
    ],
)
def test_class_does_not_fire(text: str, not_expected: str) -> None:
    assert not_expected not in classes(text)


def test_json_walk_reports_pointers_not_values() -> None:
    hits = list(
        classify_value(
            {
                "user": {"email": "a@b.io", "mobile": "07911 123456", "password": "correct-horse-battery"},
                "cards": [{"pan": "4111111111111111"}, {"pan": "5500000000000004"}],
                "note": "nothing here",
            }
        )
    )
    assert {(h.data_class, h.where) for h in hits} == {
        ("email", "/user/email"),
        ("phone", "/user/mobile"),
        ("secret", "/user/password"),
        ("card_number", "/cards/*/pan"),
    }


@given(st.lists(st.integers(0, 9), min_size=12, max_size=18))
def test_luhn_check_digit_roundtrip(digits: list[int]) -> None:
    body = "".join(map(str, digits))
    check = next(str(d) for d in range(10) if luhn_valid(body + str(d)))
    assert luhn_valid(body + check)
    assert not luhn_valid(body + str((int(check) + 1) % 10))


def test_iban_mod97() -> None:
    assert iban_valid("FR1420041010050500013M02606")
    assert not iban_valid("FR1420041010050500013M02607")
    assert not iban_valid("XX00")
