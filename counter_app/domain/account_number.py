"""Utility account numbers: ``LLLLLL-SS`` (location, occupant sequence) plus a Luhn check digit.

The billing system prints the number as ``001234-01`` and the check digit on the bill stub.
A cashier may type it with or without the dash and with or without the check digit.
"""

from __future__ import annotations

from counter_app.domain.digits import DIGITS, only_digits
from counter_app.domain.errors import InvalidAccountNumber

BODY_DIGITS = 8


def luhn_digit(digits: str) -> int:
    """The Luhn (mod 10) check digit for a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def format_number(location: int, sequence: int) -> str:
    """The printed form of an account number: ``001234-01``."""
    if not (0 <= location <= 999_999 and 0 <= sequence <= 99):
        raise InvalidAccountNumber("Account location is 6 digits and sequence 2 digits")
    return f"{location:06d}-{sequence:02d}"


def check_digit(number: str) -> int:
    """Check digit of a normalised account number (``001234-01``)."""
    return luhn_digit(number.replace("-", ""))


def with_check_digit(number: str) -> str:
    """``001234-01`` → ``001234-01-7`` as printed on the stub."""
    return f"{number}-{check_digit(number)}"


def parse_account_number(text: str) -> str:
    """Normalise what was typed or scanned to ``001234-01``.

    Accepts 8 digits (no check digit) or 9 digits (last one is the check digit, verified),
    with any dashes or spaces. Raises ``InvalidAccountNumber`` otherwise.
    """
    raw = text.strip()
    digits = only_digits(raw)
    if not raw or any(not (ch in DIGITS or ch in "- ") for ch in raw):
        raise InvalidAccountNumber(f'"{raw}" is not an account number (digits like 001234-01)')
    if len(digits) == BODY_DIGITS + 1:
        body, given = digits[:BODY_DIGITS], int(digits[BODY_DIGITS])
        if luhn_digit(body) != given:
            raise InvalidAccountNumber(
                f'"{raw}": check digit {given} is wrong for {body[:6]}-{body[6:]}; '
                "re-key the number from the bill"
            )
        digits = body
    if len(digits) != BODY_DIGITS:
        raise InvalidAccountNumber(
            f'"{raw}" has {len(digits)} digits; an account number has 8 (001234-01), '
            "or 9 with the check digit"
        )
    return f"{digits[:6]}-{digits[6:]}"
