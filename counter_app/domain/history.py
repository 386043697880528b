"""An account's history for the counter: what was billed, what was paid (and whether that
was reversed), and what is still open, bill by bill and service by service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from counter_app.domain.allocation import OpenCharge
from counter_app.domain.money import Money, total

FEE_KINDS = frozenset({"late_fee", "nsf_fee", "reconnect_fee"})
HISTORY_MONTHS = 12


class EntryKind(StrEnum):
    BILL = "bill"  # a service charge on a bill: water, sewer, trash, stormwater, final bill
    FEE = "fee"  # late, returned-check or reconnect fee
    PAYMENT = "payment"
    REVERSAL = "reversal"  # a void or a returned check taking a payment back
    REFUND = "refund"  # credit (or a closed account's deposit) paid back to the customer


def entry_kind_of_charge(kind: str) -> EntryKind:
    return EntryKind.FEE if kind in FEE_KINDS else EntryKind.BILL


def charge_label(kind: str) -> str:
    """``late_fee`` → "Late fee", ``water`` → "Water"."""
    return kind.replace("_", " ").capitalize()


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the history: a charge billed, or money paid or taken back."""

    on: dt.date  # bill date of a charge; office date of a payment
    kind: EntryKind
    what: str  # "Water", "Late fee", "Payment: check #1043 + cash", "Refund: cash", "Void"
    amount: Money  # charges and refunds positive; payments negative (they lower the balance)
    receipt_number: str = ""
    reversed_by: str = ""  # the VOID or RETURNED CHECK slip that took this payment back
    reversal_reason: str = ""  # why it was taken back


@dataclass(frozen=True)
class OpenBill:
    """What is still open from one bill, by service."""

    bill_date: dt.date
    due_date: dt.date
    by_service: tuple[tuple[str, Money], ...]  # ("Water", $30.00), ...

    @property
    def open(self) -> Money:
        return total(amount for _, amount in self.by_service)


def open_bills(charges: Sequence[OpenCharge]) -> tuple[OpenBill, ...]:
    """The open charges grouped by bill (oldest first), services in the order billed."""
    bills: dict[dt.date, list[OpenCharge]] = {}
    for charge in sorted(charges, key=lambda c: (c.bill_date, c.id)):
        if charge.open.is_positive:
            bills.setdefault(charge.bill_date, []).append(charge)
    return tuple(
        OpenBill(
            bill_date,
            max(c.due_date for c in items),
            tuple(_by_service(items)),
        )
        for bill_date, items in bills.items()
    )


def _by_service(items: Sequence[OpenCharge]) -> list[tuple[str, Money]]:
    sums: dict[str, Money] = {}
    for c in items:
        label = charge_label(c.kind)
        sums[label] = sums.get(label, Money(0)) + c.open
    return list(sums.items())


@dataclass(frozen=True)
class AccountHistory:
    number: str
    customer_name: str
    since: dt.date
    entries: tuple[HistoryEntry, ...]  # newest first
    open: tuple[OpenBill, ...]
    credit: Money

    @property
    def balance(self) -> Money:
        """Open charges less the credit on account: the balance the counter shows."""
        return total(bill.open for bill in self.open) - self.credit
