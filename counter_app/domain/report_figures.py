"""What the report read services hand out: the day's payment register and check register,
the daily cash report's figures with their distribution to general-ledger codes, and the
head of the audit chain at the end of the day. Plain values; the split to GL codes is pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from counter_app.domain.closeout import DRAWER_TENDERS, SessionActivity
from counter_app.domain.end_of_day import SessionSummary
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderKind
from counter_app.domain.transactions import TransactionKind

# --- distribution to GL codes ---------------------------------------------------------------
# Each charge kind (``charges.kind``) is revenue to one category; a category's code is a
# setting (``gl``). Money left on an account as credit and the drawers' over/short have
# categories of their own.
CHARGE_CATEGORIES: Mapping[str, str] = {
    "water": "water",
    "sewer": "sewer",
    "trash": "trash",
    "stormwater": "stormwater",
    "late_fee": "fees",
    "nsf_fee": "fees",
    "reconnect_fee": "fees",
    "deposit": "deposits",
    "final_bill": "final_bill",
    "other": "other",
}
CREDIT, OVER_SHORT = "unapplied_credit", "over_short"
CATEGORY_LABELS: Mapping[str, str] = {
    "water": "Water",
    "sewer": "Sewer",
    "trash": "Trash",
    "stormwater": "Stormwater",
    "fees": "Fees (late, NSF, reconnect)",
    "deposits": "Customer deposits",
    "final_bill": "Final bills",
    "other": "Other charges",
    CREDIT: "Unapplied credit",
    OVER_SHORT: "Over/short",
}


@dataclass(frozen=True)
class GlLine:
    code: str
    label: str
    amount: Money


@dataclass(frozen=True)
class Distribution:
    """Net collections split to GL codes (``revenue``, credit included), and the drawers'
    over/short beside them."""

    revenue: tuple[GlLine, ...]
    over_short: GlLine

    @property
    def collections(self) -> Money:
        return total(line.amount for line in self.revenue)

    @property
    def total(self) -> Money:
        """Collections and over/short: what the deposits and the books must account for."""
        return self.collections + self.over_short.amount


def distribute(
    applied: Mapping[str | None, Money], over_short: Money, codes: Mapping[str, str]
) -> Distribution:
    """``applied`` is what the day's allocations put on each charge kind, net of reversals
    (``None``: left on the account as credit); ``codes`` each category's GL code. Categories
    that share a code share a line; a category with nothing applied has none."""
    amounts: dict[str, Money] = {}
    for kind, amount in applied.items():
        category = CREDIT if kind is None else CHARGE_CATEGORIES.get(kind, "other")
        amounts[category] = amounts.get(category, Money(0)) + amount
    lines: dict[str, tuple[list[str], Money]] = {}
    for category, label in CATEGORY_LABELS.items():
        if category == OVER_SHORT or category not in amounts:
            continue
        labels, so_far = lines.get(codes[category], ([], Money(0)))
        lines[codes[category]] = ([*labels, label], so_far + amounts[category])
    return Distribution(
        tuple(GlLine(code, " + ".join(labels), amount) for code, (labels, amount) in lines.items()),
        GlLine(codes[OVER_SHORT], CATEGORY_LABELS[OVER_SHORT], over_short),
    )


# --- the registers --------------------------------------------------------------------------
@dataclass(frozen=True)
class RegisterEntry:
    """One receipt of the day: a payment, or a void or returned check reversing one."""

    receipt: str
    kind: TransactionKind
    at: dt.datetime  # aware UTC
    station: str
    session_id: int
    cashier: str
    accounts: tuple[str, ...]
    tenders: str  # in words: "check #1043 + cash"
    amount: Money  # negative for a reversal
    change: Money
    reverses: str = ""  # a reversal: the receipt it reverses
    reason: str = ""  # a reversal's reason
    reversed_by: str = ""  # a payment reversed since: the slip that did it
    reversed_as: TransactionKind | None = None

    @property
    def state(self) -> str:
        """``voided by W02-…``, ``returned check W02-…``, ``voids W02-…``, or ""."""
        if self.reverses:
            return f"{'voids' if self.kind is TransactionKind.VOID else 'returns'} {self.reverses}"
        if self.reversed_as is TransactionKind.VOID:
            return f"voided by {self.reversed_by}"
        if self.reversed_as is TransactionKind.NSF_REVERSAL:
            return f"check returned {self.reversed_by}"
        return ""


@dataclass(frozen=True)
class PaymentRegister:
    """Every receipt of a business date, in the order they were issued."""

    business_date: dt.date
    entries: tuple[RegisterEntry, ...]

    def of(self, kind: TransactionKind) -> tuple[RegisterEntry, ...]:
        return tuple(e for e in self.entries if e.kind is kind)

    def total_of(self, kind: TransactionKind) -> Money:
        return total(e.amount for e in self.of(kind))

    @property
    def net(self) -> Money:
        """Payments less voids and returned checks: the day's net collections."""
        return total(e.amount for e in self.entries)


@dataclass(frozen=True)
class CheckEntry:
    """A check or money order taken on a payment of the day."""

    tender_id: int
    kind: TenderKind
    number: str
    bank: str
    amount: Money
    accounts: tuple[str, ...]
    receipt: str
    at: dt.datetime
    station: str
    session_id: int
    cashier: str
    reversed_as: TransactionKind | None = None  # voided, or returned by the bank since
    deposit_slip: str = ""

    @property
    def voided(self) -> bool:
        return self.reversed_as is TransactionKind.VOID

    @property
    def state(self) -> str:
        if self.voided:
            return "voided"
        if self.reversed_as is TransactionKind.NSF_REVERSAL:
            return "returned"
        return f"slip {self.deposit_slip}" if self.deposit_slip else "not deposited"


@dataclass(frozen=True)
class CheckRegister:
    business_date: dt.date
    entries: tuple[CheckEntry, ...]

    @property
    def taken(self) -> Money:
        return total(e.amount for e in self.entries)

    @property
    def voided(self) -> Money:
        return total(e.amount for e in self.entries if e.voided)

    @property
    def to_deposit(self) -> Money:
        """Taken less voided the same day (a check the bank returns later was deposited)."""
        return self.taken - self.voided

    def count(self, *, voided: bool) -> int:
        return sum(1 for e in self.entries if e.voided is voided)


# --- the daily cash report -----------------------------------------------------------------
@dataclass(frozen=True)
class ChainHead:
    """The audit chain's last event of a business date: printed on the daily report and the
    Z tape, so a later rewrite of the trail shows against the paper."""

    event_id: int
    hash: str
    at: dt.datetime

    @property
    def short(self) -> str:
        """The hash as printed: 16 hex digits in groups of four."""
        return " ".join(self.hash[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class DailyCash:
    """A business date's cash report: every session, the day's figures from the one
    expected-figures function's activity, net collections and their distribution, the
    reversals, the deposits made and the audit chain's head."""

    business_date: dt.date
    sessions: tuple[SessionSummary, ...]
    activity: SessionActivity  # the day's sessions added up (``closeout.day_activity``)
    payments: Money  # payments taken, before reversals
    voids: tuple[RegisterEntry, ...]
    returned_checks: tuple[RegisterEntry, ...]
    distribution: Distribution
    deposits: tuple[tuple[str, Money], ...]  # slip number and total of each deposit
    chain_head: ChainHead | None

    @property
    def reversals(self) -> Money:
        """Voids and returned checks (negative)."""
        return total(e.amount for e in (*self.voids, *self.returned_checks))

    @property
    def net_collections(self) -> Money:
        """Payments less reversals."""
        return self.payments + self.reversals

    @property
    def by_tender(self) -> tuple[tuple[TenderKind, Money], ...]:
        """Each drawer tender's net take (cash less the change given back)."""
        a = self.activity
        return tuple(
            (k, a.tendered_of(k) - (a.change_given if k is TenderKind.CASH else Money(0)))
            for k in DRAWER_TENDERS
        )

    @property
    def over_short(self) -> Money:
        return total(s.over_short or Money(0) for s in self.sessions)
