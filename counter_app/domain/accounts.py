"""What the cashier sees of an account: balance, aging, status and the warnings that matter
at the window (shut-off, disconnected, reconnect ordered, closed, checks not accepted, credit
on file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from counter_app.domain.allocation import OpenCharge
from counter_app.domain.billing_records import AccountIdentity
from counter_app.domain.labels import LabelledEnum
from counter_app.domain.money import Money, total


class AccountStatus(LabelledEnum):
    ACTIVE = "active", "ACTIVE"
    SHUTOFF_PENDING = "shutoff_pending", "SHUT-OFF PENDING"
    DISCONNECTED = "disconnected", "DISCONNECTED"
    # paid what restores service: the reconnect fee is billed and paid, a turn-on order made
    RECONNECT_ORDERED = "reconnect_ordered", "RECONNECT ORDERED"
    CLOSED = "closed", "CLOSED"


# What paying ``amount_to_keep_service`` moves an account at risk to.
SERVICE_KEPT = {
    AccountStatus.SHUTOFF_PENDING: AccountStatus.ACTIVE,
    AccountStatus.DISCONNECTED: AccountStatus.RECONNECT_ORDERED,
}


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


# Charges the counter itself adds (not part of a periodic bill).
COUNTER_FEE_KINDS = frozenset({"nsf_fee", "reconnect_fee"})


@dataclass(frozen=True)
class LastBill:
    """The newest bill: every billed charge of its bill date, paid or not."""

    bill_date: dt.date
    due_date: dt.date
    amount: Money


def last_bill_of(charges: Sequence[tuple[str, dt.date, dt.date, Money]]) -> LastBill | None:
    """The last bill from (kind, bill date, due date, billed amount) of an account's charges;
    fees the counter adds (returned check, reconnect) are not a bill."""
    billed = [c for c in charges if c[0] not in COUNTER_FEE_KINDS]
    if not billed:
        return None
    newest = max(c[1] for c in billed)
    on_bill = [c for c in billed if c[1] == newest]
    return LastBill(newest, max(c[2] for c in on_bill), total(c[3] for c in on_bill))


def past_due(charges: Sequence[OpenCharge], today: dt.date) -> Money:
    """What is open on charges due before ``today``."""
    return total(c.open for c in charges if c.due_date < today)


def amount_to_keep_service(
    status: AccountStatus,
    charges: Sequence[OpenCharge],
    today: dt.date,
    reconnect_fee_setting: Money,
) -> Money:
    """What stops a pending shut-off or restores service: everything past due, plus for a
    disconnected account the reconnect fee not yet past due (or, none billed yet, the
    office's fee ``reconnect_fee_setting``)."""
    keep = past_due(charges, today)
    if status is AccountStatus.DISCONNECTED:
        billed = [c for c in charges if c.kind == "reconnect_fee"]
        if billed:
            keep += total(c.open for c in billed if c.due_date >= today)
        else:
            keep += reconnect_fee_setting
    return keep


@dataclass(frozen=True)
class Badge:
    """A warning shown in words (never colour alone); ``level`` is info, warn or stop."""

    level: str
    text: str


@dataclass(frozen=True)
class AccountSummary(AccountIdentity):
    """What the account view shows."""

    status: AccountStatus
    shutoff_date: dt.date | None
    deposit: Money
    credit: Money
    checks_not_accepted: bool
    open_charges: tuple[OpenCharge, ...]
    today: dt.date
    last_payments: tuple[PaymentSummary, ...] = ()
    last_bill: LastBill | None = None  # from every bill charge, paid or not
    reconnect_fee_setting: Money = field(default_factory=Money.zero)  # when none is billed
    service_order: str = ""  # RECONNECT ORDERED: the number of its turn-on order

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
        return past_due(self.open_charges, self.today)

    @property
    def aging(self) -> Aging:
        return age(self.open_charges, self.today)

    @property
    def last_bill_date(self) -> dt.date | None:
        """Date of the newest bill (paid or not); from open charges when unknown."""
        if self.last_bill is not None:
            return self.last_bill.bill_date
        return max((c.bill_date for c in self.open_charges), default=None)

    @property
    def last_bill_amount(self) -> Money | None:
        """What the newest bill came to when billed (None when there is no bill)."""
        return self.last_bill.amount if self.last_bill is not None else None

    @property
    def due_date(self) -> dt.date | None:
        """Due date of the newest bill (paid or not); from open charges when unknown."""
        if self.last_bill is not None:
            return self.last_bill.due_date
        newest = self.last_bill_date
        return max((c.due_date for c in self.open_charges if c.bill_date == newest), default=None)

    @property
    def reconnect_fee(self) -> Money:
        """The reconnect fee owed: the open reconnect-fee charges, or for a disconnected
        account with none billed yet, the office's fee (``policy.reconnect_fee``)."""
        billed = total(c.open for c in self.open_charges if c.kind == "reconnect_fee")
        if billed or self.status is not AccountStatus.DISCONNECTED:
            return billed
        return self.reconnect_fee_setting

    @property
    def incl_reconnect_fee(self) -> str:
        """What follows "restores service": " (incl. reconnect fee $75.00)", "" with no fee."""
        fee = self.reconnect_fee
        return f" (incl. reconnect fee {fee.format()})" if fee else ""

    @property
    def amount_to_keep_service(self) -> Money:
        """What stops a pending shut-off or restores service (``amount_to_keep_service``)."""
        return amount_to_keep_service(
            self.status, self.open_charges, self.today, self.reconnect_fee_setting
        )

    @property
    def service_at_risk(self) -> bool:
        """Pending shut-off or disconnected: the tender screen shows the service guard."""
        return self.status in (AccountStatus.SHUTOFF_PENDING, AccountStatus.DISCONNECTED)

    @property
    def accepts_checks(self) -> bool:
        """False after returned checks: cash or certified funds only."""
        return not self.checks_not_accepted

    def badges(self) -> list[Badge]:
        out: list[Badge] = []
        when = self.shutoff_date.strftime("%m/%d") if self.shutoff_date else "soon"
        keep = self.amount_to_keep_service.format()
        if self.status is AccountStatus.SHUTOFF_PENDING:
            out.append(Badge("warn", f"SHUT-OFF {when} — {keep} stops it"))
        elif self.status is AccountStatus.DISCONNECTED:
            text = f"DISCONNECTED — {keep} restores service{self.incl_reconnect_fee}"
            out.append(Badge("stop", text))
        elif self.status is AccountStatus.CLOSED:
            text = (
                f"CLOSED — final bill {self.open_total.format()} open"
                if self.open_total
                else "CLOSED — nothing owed; take no payment here"
            )
            out.append(Badge("stop", text))
        elif self.status is AccountStatus.RECONNECT_ORDERED:
            order = f" {self.service_order}" if self.service_order else ""
            text = f"RECONNECT ORDERED{order} — no reconnect fee due; service to be turned on"
            out.append(Badge("info", text))
        if self.checks_not_accepted:
            out.append(Badge("stop", "CHECKS NOT ACCEPTED — cash or certified funds only"))
        if self.credit:
            out.append(Badge("info", f"Credit on file {self.credit.format()}"))
        return out
