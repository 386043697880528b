"""Drawer counts by denomination: what the cashier types on the open and close count grids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from counter_app.domain.digits import is_digits
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money, total


@dataclass(frozen=True)
class Denomination:
    code: str  # stable key stored in counts: "100", "0.25", "roll_0.25"
    label: str
    value: Money  # value of one unit (one bill, one coin, one roll)
    kind: str  # "currency", "coin" or "rolled"


DENOMINATIONS: tuple[Denomination, ...] = (
    Denomination("100", "$100 bills", Money(10000), "currency"),
    Denomination("50", "$50 bills", Money(5000), "currency"),
    Denomination("20", "$20 bills", Money(2000), "currency"),
    Denomination("10", "$10 bills", Money(1000), "currency"),
    Denomination("5", "$5 bills", Money(500), "currency"),
    Denomination("2", "$2 bills", Money(200), "currency"),
    Denomination("1", "$1 bills", Money(100), "currency"),
    Denomination("1.00", "$1 coins", Money(100), "coin"),
    Denomination("0.50", "Half dollars", Money(50), "coin"),
    Denomination("0.25", "Quarters", Money(25), "coin"),
    Denomination("0.10", "Dimes", Money(10), "coin"),
    Denomination("0.05", "Nickels", Money(5), "coin"),
    Denomination("0.01", "Pennies", Money(1), "coin"),
    Denomination("roll_0.25", "Quarter rolls ($10)", Money(1000), "rolled"),
    Denomination("roll_0.10", "Dime rolls ($5)", Money(500), "rolled"),
    Denomination("roll_0.05", "Nickel rolls ($2)", Money(200), "rolled"),
    Denomination("roll_0.01", "Penny rolls ($0.50)", Money(50), "rolled"),
)
BY_CODE = {d.code: d for d in DENOMINATIONS}
MAX_COUNT = 100_000
MAX_COUNT_DIGITS = len(str(MAX_COUNT))


def check_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Validate a count sheet: known denominations, whole non-negative counts."""
    clean: dict[str, int] = {}
    for code, count in counts.items():
        denom = BY_CODE.get(code)
        if denom is None:
            raise ValidationError(f"Unknown denomination {code!r}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValidationError(f"{denom.label}: the count must be a whole number, 0 or more")
        _check_size(count, denom.label)
        if count:
            clean[code] = count
    return clean


def _check_size(count: int, label: str) -> None:
    if count > MAX_COUNT:
        raise ValidationError(f"{label}: {count:,} is more than a drawer holds")


def line_amount(code: str, count: int) -> Money:
    return BY_CODE[code].value * count


def count_total(counts: Mapping[str, int]) -> Money:
    """Total value of a count sheet."""
    return total(line_amount(code, n) for code, n in counts.items())


def parse_count(text: str, label: str) -> int:
    """What a cashier typed in one grid cell: blank is 0."""
    raw = text.strip()
    if not raw:
        return 0
    if not is_digits(raw):
        raise ValidationError(f"{label}: type how many, as a whole number")
    count = int(raw)
    _check_size(count, label)
    return count
