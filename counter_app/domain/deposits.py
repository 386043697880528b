"""A bank deposit as built from closed sessions: currency by denomination, coin, checks and
money orders itemised; and its check list as CSV for remote deposit capture."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from enum import StrEnum

from counter_app.domain.denominations import BY_CODE
from counter_app.domain.money import Money, total


class DepositLineKind(StrEnum):
    """``deposit_lines.kind``."""

    CURRENCY = "currency"  # bills, by denomination
    COIN = "coin"  # coin, loose and rolled, by denomination
    CHECK = "check"
    MONEY_ORDER = "money_order"


@dataclass(frozen=True)
class DepositLine:
    kind: DepositLineKind
    amount: Money
    denomination: str = ""  # currency / coin: the denomination code ("" a batch's cash)
    quantity: int = 0  # currency / coin: how many
    tender_id: int | None = None  # check / money order: the tender deposited
    session_id: int | None = None
    number: str = ""  # check / money order number
    bank: str = ""
    accounts: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.kind is DepositLineKind.CURRENCY and not self.denomination:
            return f"Cash from batch #{self.session_id}" if self.session_id else "Cash from batches"
        if self.denomination:
            return BY_CODE[self.denomination].label
        return f"{'Check' if self.kind is DepositLineKind.CHECK else 'Money order'} #{self.number}"


@dataclass(frozen=True)
class NotDeposited:
    """A check or money order a session took but its close count marked missing (its
    over/short approved, or within tolerance): listed under the deposit's items in words."""

    line: DepositLine  # what it was: kind, number, bank, amount, session
    approved_by: str = ""  # the supervisor who approved the close ("" within tolerance)

    @property
    def words(self) -> str:
        """ "Not deposited: check 1234 (First Bank) $50.00 — missing at the close of session
        #7, approved by Sam Super"."""
        line = self.line
        what = "check" if line.kind is DepositLineKind.CHECK else "money order"
        bank = f" ({line.bank})" if line.bank else ""
        why = f"approved by {self.approved_by}" if self.approved_by else "within tolerance"
        return (
            f"Not deposited: {what} {line.number}{bank} {line.amount.format()} — missing at "
            f"the close of session #{line.session_id}, {why}"
        )


@dataclass(frozen=True)
class Deposit:
    """A deposit, built (``id`` 0 before it is made) or as stored."""

    id: int
    slip_number: str
    business_date: dt.date
    bank_name: str
    account_name: str
    account_number: str
    session_ids: tuple[int, ...]
    lines: tuple[DepositLine, ...]
    float_kept: Money  # cash kept back for tomorrow, not deposited
    created_by: str = ""
    created_at: dt.datetime | None = None
    not_deposited: tuple[NotDeposited, ...] = ()  # missing at a session's close

    def of(self, *kinds: DepositLineKind) -> tuple[DepositLine, ...]:
        return tuple(line for line in self.lines if line.kind in kinds)

    @property
    def currency(self) -> Money:
        return total(line.amount for line in self.of(DepositLineKind.CURRENCY))

    @property
    def coin(self) -> Money:
        return total(line.amount for line in self.of(DepositLineKind.COIN))

    @property
    def items(self) -> tuple[DepositLine, ...]:
        """Checks and money orders, itemised."""
        return self.of(DepositLineKind.CHECK, DepositLineKind.MONEY_ORDER)

    @property
    def checks(self) -> Money:
        """Checks and money orders together (the slip's "checks" total)."""
        return total(line.amount for line in self.items)

    @property
    def total(self) -> Money:
        return self.currency + self.coin + self.checks


CHECK_CSV_HEADER = ("item", "kind", "number", "bank", "amount", "accounts", "session")


def check_list_csv(deposit: Deposit) -> str:
    """The deposit's checks and money orders as CSV for remote deposit capture: one row
    per item, amounts in dollars and cents, and a last row with the count and total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CHECK_CSV_HEADER)
    for n, line in enumerate(deposit.items, start=1):
        writer.writerow(
            (
                n,
                line.kind.value,
                line.number,
                line.bank,
                str(line.amount),
                " ".join(line.accounts),
                line.session_id or "",
            )
        )
    writer.writerow(("total", len(deposit.items), "", "", str(deposit.checks), "", ""))
    return out.getvalue()
