"""The receipt model: everything a printed receipt says, built by the services after commit.

Drivers lay it out for paper (``drivers/receipt_layout.py``); the GUI shows it. It holds only
plain values, so it can be printed again at any time: ``as_reprint()`` marks it REPRINT on top
of what it is (a reprinted VOID slip is still a VOID slip).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from counter_app.domain import service_orders
from counter_app.domain.labels import LabelledEnum
from counter_app.domain.money import Money, total


class TenderKind(LabelledEnum):
    CASH = "cash", "Cash"
    CHECK = "check", "Check"
    MONEY_ORDER = "money_order", "Money order"
    CARD = "card", "Card"
    # Not money taken in: a refund the office will pay by check (``domain.refunds``). It
    # never counts in a drawer's checks or a bank deposit, and no cashier can tender it.
    REFUND_CHECK = "refund_check", "Check to be issued"

    @property
    def taken_in(self) -> bool:
        """Whether a cashier takes this in at the window (every kind but a refund check)."""
        return self is not TenderKind.REFUND_CHECK


TAKEN_IN = tuple(k for k in TenderKind if k.taken_in)  # what a tender key or a file may be


class ReceiptVariant(StrEnum):
    ORIGINAL = "original"
    VOID = "void"  # the slip printed when a receipt is voided
    NSF = "nsf"  # the slip printed when a check payment is reversed as returned
    REFUND = "refund"  # the slip printed when an account's credit is paid back


@dataclass(frozen=True)
class ReceiptLine:
    """One account paid in the transaction."""

    account_number: str
    customer_name: str
    service_address: str
    amount: Money  # applied to the account (negative on a VOID / NSF slip)
    balance_after: Money
    status_note: str = ""  # e.g. "Shut-off stopped", "Service: disconnected"
    service_order: str = ""  # the turn-on order this receipt placed (a VOID slip: cancelled)
    service_order_cancelled: bool = False

    @property
    def service_order_label(self) -> str:
        """What the receipt says before the order's number: "Reconnect ordered", or
        "Reconnect cancelled" on the VOID slip; "" with no order."""
        if not self.service_order:
            return ""
        return service_orders.CANCELLED if self.service_order_cancelled else service_orders.ORDERED


@dataclass(frozen=True)
class TenderDetails:
    """What a tender is, as entered and as printed. Cards: last four and authorisation only."""

    kind: TenderKind
    amount: Money
    reference: str = ""  # check / money-order number
    card_last4: str = ""
    auth_code: str = ""

    @property
    def description(self) -> str:
        """``Check #1043``, ``Card ****1234``, ``Cash``."""
        if self.kind is TenderKind.CARD:
            return f"Card ****{self.card_last4}"
        return f"{self.kind.label} #{self.reference}" if self.reference else self.kind.label


@dataclass(frozen=True)
class ReceiptTender(TenderDetails):
    @property
    def description(self) -> str:
        """On paper a card shows its authorisation too: ``Card ****1234 auth 0A12``."""
        if self.kind is TenderKind.CARD:
            return f"{super().description} auth {self.auth_code}".rstrip()
        return super().description


class _Amounted(Protocol):
    @property
    def amount(self) -> Money: ...


class Totals:
    """TOTAL of the ``lines`` and TENDERED of the ``tenders``: the cart's and the receipt's."""

    lines: Sequence[_Amounted]
    tenders: Sequence[_Amounted]

    @property
    def total(self) -> Money:
        return total(line.amount for line in self.lines)

    @property
    def tendered(self) -> Money:
        return total(t.amount for t in self.tenders)


@dataclass(frozen=True)
class Receipt(Totals):
    """A receipt ready to print or show."""

    number: str  # W02-20261123-0042
    variant: ReceiptVariant
    posted_at: dt.datetime  # when it was posted; aware, shown in the office's zone
    station: str
    cashier: str
    office_name: str
    office_address: str
    office_phone: str
    footer: str
    lines: tuple[ReceiptLine, ...]
    tenders: tuple[ReceiptTender, ...]
    change: Money = field(default_factory=Money.zero)
    original_number: str = ""  # on a VOID / NSF slip: the receipt it reverses
    reason: str = ""  # on a VOID / NSF / REFUND slip
    approved_by: str = ""  # on a VOID / NSF / REFUND slip: the supervisor who approved it
    reprint: bool = False  # printed again on demand: REPRINT on top of the variant
    # the business date it belongs to (its session's; the date in its number): after
    # midnight in a drawer opened the evening before, that evening's date, not posted_at's
    business_date: dt.date | None = None

    def as_reprint(self) -> Receipt:
        """This receipt marked REPRINT, keeping its variant (VOID, RETURNED CHECK)."""
        return dataclasses.replace(self, reprint=True)

    @property
    def banners(self) -> tuple[str, ...]:
        """The big words above the body: the variant's (VOID, RETURNED CHECK), then REPRINT."""
        kind = {
            ReceiptVariant.VOID: "VOID",
            ReceiptVariant.NSF: "RETURNED CHECK",
            ReceiptVariant.REFUND: "REFUND",
        }.get(self.variant, "")
        return tuple(word for word in (kind, "REPRINT" if self.reprint else "") if word)

    @property
    def heading(self) -> str:
        """The banners in one line ("VOID REPRINT"); empty on an original printed once."""
        return " ".join(self.banners)
