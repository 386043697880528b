"""ASCII digits: what a cashier, a scanner or a CSV file means by a digit.

``str.isdigit()`` also says yes to "²", "١" and full-width digits, which ``int()`` then reads
as numbers (or refuses with a bare ``ValueError``): never use it on input.
"""

from __future__ import annotations

DIGITS = frozenset("0123456789")


def is_digits(text: str) -> bool:
    """True when ``text`` is one or more of the ASCII digits 0-9 and nothing else."""
    return bool(text) and all(ch in DIGITS for ch in text)


def only_digits(text: str) -> str:
    """The ASCII digits of ``text``, in order: ``"(555) 010-2000"`` → ``"5550102000"``."""
    return "".join(ch for ch in text if ch in DIGITS)
