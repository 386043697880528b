"""Bill-stub scan lines: what a keyboard-wedge scanner types when it reads the OCR-A line.

The layout is a setting (``ScanLineSettings``): a fixed-width, zero-filled line holding the
account number with its check digit and the amount due in cents, ending with a check digit
over the whole line computed by mod 10 (Luhn), dual mod 10 (weights 2-1 summing the
products) or mod 11 (weights 2..7 from the right). The demo bills carry the default layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from counter_app.domain.account_number import luhn_digit, parse_account_number, with_check_digit
from counter_app.domain.digits import is_digits
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money

CheckMethod = Literal["mod10", "dual_mod10", "mod11"]


class ScanLineLayout(Protocol):
    @property
    def length(self) -> int: ...
    @property
    def account_start(self) -> int: ...
    @property
    def account_length(self) -> int: ...
    @property
    def amount_start(self) -> int: ...
    @property
    def amount_length(self) -> int: ...
    @property
    def check_method(self) -> CheckMethod: ...


@dataclass(frozen=True)
class ScanLine:
    """A parsed stub: shown to the cashier to confirm, never posted unconfirmed."""

    account_number: str
    amount_due: Money
    raw: str


def _dual_mod10(digits: str) -> int:
    # Weights 2,1,2,1… from the right; products are summed whole (not digit-summed).
    s = sum(int(d) * (2 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - s % 10) % 10


def _mod11(digits: str) -> int:
    s = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(digits)))
    r = (11 - s % 11) % 11
    return 0 if r == 10 else r


CHECK_METHODS: dict[CheckMethod, Callable[[str], int]] = {
    "mod10": luhn_digit,
    "dual_mod10": _dual_mod10,
    "mod11": _mod11,
}


def looks_like_scanline(text: str, layout: ScanLineLayout) -> bool:
    """A string of digits exactly as long as the layout's line."""
    raw = text.strip()
    return len(raw) == layout.length and is_digits(raw)


def parse_scanline(text: str, layout: ScanLineLayout) -> ScanLine:
    """Read a scan line; raises ``ValidationError`` if it is damaged."""
    raw = text.strip()
    if not looks_like_scanline(raw, layout):
        raise ValidationError(
            f"Scan line must be {layout.length} digits; got {len(raw)} characters. Scan again "
            "or type the account number"
        )
    body, given = raw[:-1], int(raw[-1])
    if CHECK_METHODS[layout.check_method](body) != given:
        raise ValidationError("The stub did not scan cleanly (check digit): scan it again")
    account_field = raw[layout.account_start : layout.account_start + layout.account_length]
    amount_field = raw[layout.amount_start : layout.amount_start + layout.amount_length]
    number = parse_account_number(account_field[-9:])
    return ScanLine(account_number=number, amount_due=Money(int(amount_field)), raw=raw)


def make_scanline(account_number: str, amount_due: Money, layout: ScanLineLayout) -> str:
    """The scan line printed on a bill stub for this account and amount."""
    acct = with_check_digit(account_number).replace("-", "").rjust(layout.account_length, "0")
    amount = str(max(amount_due.cents, 0)).rjust(layout.amount_length, "0")
    if len(amount) > layout.amount_length:
        raise ValidationError("Amount too large for the scan line")
    line = ["0"] * (layout.length - 1)
    line[layout.account_start : layout.account_start + layout.account_length] = acct
    line[layout.amount_start : layout.amount_start + layout.amount_length] = amount
    body = "".join(line)[: layout.length - 1]
    return body + str(CHECK_METHODS[layout.check_method](body))
