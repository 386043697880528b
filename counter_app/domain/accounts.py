"""What the cashier sees of an account: balance, aging, status and the warnings that matter
at the window (shut-off, disconnected, closed, checks not accepted, credit on file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from counter_app.domain.allocation import OpenCharge
from counter_app.domain.money import Money, total


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SHUTOFF_PENDING = "shutoff_pending"
    DISCONNECTED = "disconnected"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            "active": "ACTIVE",
            "shutoff_pending": "SHUT-OFF PENDING",
            "disconnected": "DISCONNECTED",
            "closed": "CLOSED",
        }[self.value]


@dataclass(frozen=True)
class Aging:
    """Open amounts by days since the bill date."""

    current: Money
    days_31_60: Money
    days_61_90: Money
    days_over_90: Money


def age(charges: Sequence[OpenCharge], today: dt.date) -> Aging:
    buckets = [Money(0)] * 4
    for c in charges:
        days = (today - c.bill_date).days
        i = 0 if days <= 30 else 1 if days <= 60 else 2 if days <= 90 else 3
        buckets[i] += c.open
    return Aging(*buckets)


@dataclass(frozen=True)
class PaymentSummary:
    receipt_number: str
    paid_at: dt.datetime
    amount: Money
    tenders: str  # "cash", "check #1043 + cash"
    voided: bool = False


@dataclass(frozen=True)
class Badge:
    """A warning shown in words (never colour alone); ``level`` is info, warn or stop."""

    level: str
    text: str


@dataclass(frozen=True)
class AccountSummary:
    id: int
    number: str
    customer_name: str
    service_address: str
    meter_number: str
    phone: str
    status: AccountStatus
    shutoff_date: dt.date | None
    deposit: Money
    credit: Money
    checks_not_accepted: bool
    open_charges: tuple[OpenCharge, ...]
    today: dt.date
    last_payments: tuple[PaymentSummary, ...] = ()

    @property
    def open_total(self) -> Money:
        return total(c.open for c in self.open_charges)

    @property
    def balance(self) -> Money:
        """What is owed after credit on file; negative means the customer has credit."""
        return self.open_total - self.credit

    @property
    def balance_due(self) -> Money:
        """The default amount to pay: the balance, never below zero."""
        return self.balance.max(Money(0))

    @property
    def past_due(self) -> Money:
        return total(c.open for c in self.open_charges if c.due_date < self.today)

    @property
    def aging(self) -> Aging:
        return age(self.open_charges, self.today)

    @property
    def last_bill_date(self) -> dt.date | None:
        return max((c.bill_date for c in self.open_charges), default=None)

    @property
    def due_date(self) -> dt.date | None:
        """Due date of the newest open bill."""
        newest = self.last_bill_date
        return max((c.due_date for c in self.open_charges if c.bill_date == newest), default=None)

    @property
    def reconnect_fee(self) -> Money:
        return total(c.open for c in self.open_charges if c.kind == "reconnect_fee")

    @property
    def amount_to_keep_service(self) -> Money:
        """What stops a pending shut-off or restores service: everything past due
        (a disconnected account's reconnect fee is billed as a charge and included)."""
        keep = self.past_due
        if self.status is AccountStatus.DISCONNECTED:
            keep += total(
                c.open
                for c in self.open_charges
                if c.kind == "reconnect_fee" and c.due_date >= self.today
            )
        return keep

    def badges(self) -> list[Badge]:
        out: list[Badge] = []
        when = self.shutoff_date.strftime("%m/%d") if self.shutoff_date else "soon"
        keep = self.amount_to_keep_service.format()
        if self.status is AccountStatus.SHUTOFF_PENDING:
            out.append(Badge("warn", f"SHUT-OFF {when} — {keep} stops it"))
        elif self.status is AccountStatus.DISCONNECTED:
            out.append(
                Badge(
                    "stop",
                    f"DISCONNECTED — {keep} restores service "
                    f"(incl. reconnect fee {self.reconnect_fee.format()})",
                )
            )
        elif self.status is AccountStatus.CLOSED:
            text = (
                f"CLOSED — final bill {self.open_total.format()} open"
                if self.open_total
                else "CLOSED — nothing owed; take no payment here"
            )
            out.append(Badge("stop", text))
        if self.checks_not_accepted:
            out.append(Badge("stop", "CHECKS NOT ACCEPTED — cash or certified funds only"))
        if self.credit:
            out.append(Badge("info", f"Credit on file {self.credit.format()}"))
        return out
