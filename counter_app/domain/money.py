"""Money: an immutable amount of US dollars held as integer cents.

This module is the one place where text a cashier types, CSV cells and ``Decimal`` values
become money. Anything that cannot be read exactly ("0.005", "1e3", "12..0", "") is rejected
with a message the cashier can act on; nothing here ever touches ``float``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from counter_app.domain.errors import InvalidMoney

_CENTS = Decimal("0.01")
# Optional sign, optional $, digits with optional thousands commas in groups of three,
# optional decimal point with at most two digits. A leading "." ("·50") is allowed. ASCII
# digits only: "١٢" (Arabic-Indic) or "²" are not amounts a cashier meant.
_MONEY_RE = re.compile(
    r"""^(?P<sign>[-+]?)\s*\$?\s*
        (?P<whole>\d{1,3}(?:,\d{3})+|\d+)?
        (?:\.(?P<frac>\d{0,2}))?$""",
    re.VERBOSE | re.ASCII,
)
MAX_CENTS = 10**13  # $100 billion: beyond anything a counter takes; guards typos like 10**20


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An exact amount of money in cents. Immutable, hashable, ordered."""

    cents: int

    def __post_init__(self) -> None:
        if isinstance(self.cents, bool) or not isinstance(self.cents, int):
            raise TypeError(f"Money needs whole cents as int, not {type(self.cents).__name__}")

    # --- construction -------------------------------------------------------------------
    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def parse(cls, text: str, *, allow_negative: bool = False) -> Money:
        """Read an amount as a cashier types it: "12", "12.3", "$1,200.00", ".50".

        Raises ``InvalidMoney`` for anything that is not exactly a number of cents.
        """
        if not isinstance(text, str):
            raise InvalidMoney(f"Amount must be text, not {type(text).__name__}")
        raw = text.strip()
        if not raw:
            raise InvalidMoney("Enter an amount, for example 84.10")
        m = _MONEY_RE.match(raw)
        if m is None or (m.group("whole") is None and not m.group("frac")):
            if re.fullmatch(r"[-+]?\$?[0-9]*\.[0-9]{3,}", raw.replace(",", "")):
                raise InvalidMoney(f'"{raw}" has more than two decimal places: use whole cents')
            raise InvalidMoney(f'"{raw}" is not an amount: type dollars and cents, like 1200.00')
        whole_digits = (m.group("whole") or "0").replace(",", "").lstrip("0")
        if len(whole_digits) > len(str(MAX_CENTS)):  # before int(), which caps its length
            raise InvalidMoney(f'"{raw[:20]}…" is too large to be an amount')
        whole = int(whole_digits or "0")
        frac = (m.group("frac") or "").ljust(2, "0")
        cents = whole * 100 + int(frac)
        if m.group("sign") == "-":
            cents = -cents
        if cents < 0 and not allow_negative:
            raise InvalidMoney(f'"{raw}" is negative: amounts here must be zero or more')
        return cls._checked(cents, raw)

    @classmethod
    def from_decimal(cls, value: Decimal) -> Money:
        """Exact conversion from ``Decimal``; rejects fractions of a cent."""
        if not isinstance(value, Decimal):
            raise TypeError("Money.from_decimal takes a Decimal")
        if not value.is_finite():
            raise InvalidMoney(f"{value} is not an amount")
        try:
            quantized = value.quantize(_CENTS)
        except InvalidOperation as exc:
            raise InvalidMoney(f"{value} is too large to be an amount") from exc
        if quantized != value:
            raise InvalidMoney(f"{value} has more than two decimal places: use whole cents")
        return cls._checked(int(quantized * 100), str(value))

    @classmethod
    def _checked(cls, cents: int, shown: str) -> Money:
        if abs(cents) >= MAX_CENTS:
            raise InvalidMoney(f'"{shown}" is too large to be an amount')
        return cls(cents)

    # --- conversion ---------------------------------------------------------------------
    def to_decimal(self) -> Decimal:
        return Decimal(self.cents).scaleb(-2)

    def __str__(self) -> str:
        """Plain form for entry fields and files: "1200.00", "-3.35"."""
        sign = "-" if self.cents < 0 else ""
        whole, frac = divmod(abs(self.cents), 100)
        return f"{sign}{whole}.{frac:02d}"

    def format(self, *, symbol: bool = True) -> str:
        """Display form: "$1,200.00", "-$3.35"."""
        sign = "-" if self.cents < 0 else ""
        whole, frac = divmod(abs(self.cents), 100)
        return f"{sign}{'$' if symbol else ''}{whole:,}.{frac:02d}"

    def __repr__(self) -> str:
        return f"Money('{self}')"

    # --- arithmetic ---------------------------------------------------------------------
    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents + other.cents)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents - other.cents)

    def __neg__(self) -> Money:
        return Money(-self.cents)

    def __abs__(self) -> Money:
        return Money(abs(self.cents))

    def __mul__(self, times: int) -> Money:
        if isinstance(times, bool) or not isinstance(times, int):
            return NotImplemented
        return Money(self.cents * times)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return self.cents != 0

    @property
    def is_negative(self) -> bool:
        return self.cents < 0

    @property
    def is_positive(self) -> bool:
        return self.cents > 0

    def min(self, other: Money) -> Money:
        return self if self <= other else other

    def max(self, other: Money) -> Money:
        return self if self >= other else other

    def split(self, ratios: Iterable[int]) -> list[Money]:
        """Split by integer ratios with the largest-remainder method: parts always add up."""
        weights = list(ratios)
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise ValueError("ratios must be non-negative and not all zero")
        total = sum(weights)
        sign = -1 if self.cents < 0 else 1
        amount = abs(self.cents)
        shares = [amount * w // total for w in weights]
        remainders = sorted(
            range(len(weights)), key=lambda i: (amount * weights[i] % total, -i), reverse=True
        )
        for i in remainders[: amount - sum(shares)]:
            shares[i] += 1
        return [Money(sign * s) for s in shares]


def total(amounts: Iterable[Money]) -> Money:
    """Sum of amounts; ``Money(0)`` for none."""
    cents = 0
    for amount in amounts:
        cents += amount.cents
    return Money(cents)
