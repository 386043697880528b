"""The payment rules of one transaction, pure: what an account may take, how the tenders
settle the total, how a payment is applied to its account, and what it does for service.

The cart (what the screen shows) and the posting service (what is written) both call these.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from counter_app.domain.accounts import SERVICE_KEPT, AccountStatus, AccountSummary
from counter_app.domain.allocation import Applied, OpenCharge, allocate, credit_of, pour
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderKind
from counter_app.domain.refusals import (
    ChecksNotAccepted,
    ClosedNothingOwed,
    ExcessNonCashOnClosed,
    ExcessNonCashRefused,
    OverFinalBill,
)
from counter_app.domain.tenders import Settlement, TenderEntry, settle

# What the office does with non-cash tendered over the total (``policy.excess_noncash``).
ExcessNonCash = Literal["credit", "refuse"]


def checks_refusal(accounts: Iterable[AccountSummary]) -> ChecksNotAccepted | None:
    """The refusal a check meets with these accounts on the transaction (None: accepted)."""
    flagged = [a.number for a in accounts if not a.accepts_checks]
    return ChecksNotAccepted(flagged) if flagged else None


def check_account_takes(
    account: AccountSummary, amount: Money | None = None, *, has_check: bool = False
) -> None:
    """Refuse a payment the account must not take, with the reason and the way forward:
    a check on a no-checks account, anything on a closed account with nothing owed, more
    than the final bill on a closed one (``amount`` None: the account itself, no amount yet)."""
    if has_check and (refusal := checks_refusal([account])):
        raise refusal
    if account.status is AccountStatus.CLOSED:
        if not account.open_total:
            raise ClosedNothingOwed(account.number)
        if amount is not None and amount > account.open_total:
            raise OverFinalBill(account.number, account.open_total)


@dataclass(frozen=True)
class SettledPayments:
    """The tenders settled against the payments: ``amounts`` per account as posted."""

    settlement: Settlement
    amounts: tuple[Money, ...]

    @property
    def total(self) -> Money:
        return total(self.amounts)


@dataclass(frozen=True)
class ExcessCredit:
    """Non-cash tendered over the total, to be credited to account ``number``: the cashier
    confirms it before the transaction completes. ``str()`` says it."""

    amount: Money
    number: str
    tenders: str  # what is over, as the sentence starts: "Check", "Checks", "Non-cash tenders"

    def __str__(self) -> str:
        verb = "exceeds" if self.tenders in {k.label for k in TenderKind} else "exceed"
        return (
            f"{self.tenders} {verb} the amount due by {self.amount.format()}: it will be "
            f"credited to {self.number}"
        )


def _noncash_words(tenders: Sequence[TenderEntry]) -> str:
    kinds = [t.kind for t in tenders if t.kind is not TenderKind.CASH]
    if len(set(kinds)) > 1:
        return "Non-cash tenders"
    label = kinds[0].label
    return label if len(kinds) == 1 else f"{label}s"


def excess_credit(
    lines: Sequence[tuple[AccountSummary, Money]],
    tenders: Sequence[TenderEntry],
    *,
    excess_noncash: ExcessNonCash,
) -> ExcessCredit | None:
    """What the non-cash tendered over the total of the (account, amount) lines becomes:
    None when nothing non-cash is over (or the tenders are still short); else credit on
    the first account — or the refusal, when the office's policy refuses it or that
    account is closed."""
    due = total(amount for _, amount in lines)
    if not lines or total(t.amount for t in tenders) < due:
        return None
    excess = settle(due, tenders).excess_noncash
    if not excess:
        return None
    if excess_noncash == "refuse":
        raise ExcessNonCashRefused(excess)
    first = lines[0][0]
    if first.status is AccountStatus.CLOSED:
        raise ExcessNonCashOnClosed(excess, first.number)
    return ExcessCredit(excess, first.number, _noncash_words(tenders))


def settle_payments(
    lines: Sequence[tuple[AccountSummary, Money]],
    tenders: Sequence[TenderEntry],
    *,
    excess_noncash: ExcessNonCash,
) -> SettledPayments:
    """Settle ``tenders`` against the (account, amount) lines: each account must take its
    amount, change comes only from cash, and non-cash over the total is refused by policy
    or becomes credit on the first account (which must not be closed): ``excess_credit``."""
    has_check = any(t.kind is TenderKind.CHECK for t in tenders)
    for account, amount in lines:
        check_account_takes(account, amount, has_check=has_check)
    amounts = [amount for _, amount in lines]
    settlement = settle(total(amounts), tenders)
    credit = excess_credit(lines, tenders, excess_noncash=excess_noncash)
    if credit is not None:
        amounts[0] += credit.amount
    return SettledPayments(settlement, tuple(amounts))


def keeps_service(account: AccountSummary, amount: Money) -> bool:
    """True when ``amount`` stops the account's shut-off / restores its service (and on an
    account that is not at risk, whenever nothing is past due)."""
    return amount >= account.amount_to_keep_service


KEEP_SERVICE = "Keep service"  # F10's one name: keymap, hint line, messages, README


def what_keeps_service(account: AccountSummary) -> str:
    """What paying ``amount_to_keep_service`` does for ``account``, as F10 says it after the
    amount: "which stops the shut-off 11/30", "what is past due"."""
    if account.status is AccountStatus.SHUTOFF_PENDING:
        when = f" {account.shutoff_date:%m/%d}" if account.shutoff_date else ""
        return f"which stops the shut-off{when}"
    if account.status is AccountStatus.DISCONNECTED:
        return f"which restores service{account.incl_reconnect_fee}"
    return "what is past due"


def line_note(account: AccountSummary, amount: Money) -> str:
    """What paying ``amount`` does, as the transaction panel says it."""
    keep = account.amount_to_keep_service
    done = keeps_service(account, amount)
    if account.status is AccountStatus.SHUTOFF_PENDING:
        return "stops shut-off" if done else f"{keep.format()} stops shut-off"
    if account.status is AccountStatus.DISCONNECTED:
        return "restores service" if done else f"{keep.format()} restores service"
    if amount > account.balance_due:
        return f"credit {(amount - account.balance_due).format()}"
    return ""


RECONNECT_FEE = "reconnect_fee"  # the charge kind restoring service bills


def restores_service(account: AccountSummary, amount: Money) -> bool:
    """True when ``amount`` restores a disconnected account's service."""
    return account.status is AccountStatus.DISCONNECTED and keeps_service(account, amount)


def _reconnect_fees(account: AccountSummary) -> list[OpenCharge]:
    return [c for c in account.open_charges if c.kind == RECONNECT_FEE and c.open.is_positive]


def reconnect_fee_to_bill(account: AccountSummary, amount: Money) -> Money:
    """The reconnect fee paying ``amount`` bills now: the office's fee when the payment
    restores service and no reconnect-fee charge is open (an open one is paid instead,
    never a second); else nothing."""
    if not restores_service(account, amount) or _reconnect_fees(account):
        return Money(0)
    return account.reconnect_fee


def with_reconnect_fee(account: AccountSummary, charge_id: int) -> AccountSummary:
    """``account`` with the reconnect fee ``reconnect_fee_to_bill`` asked for billed today as
    charge ``charge_id``: due today, so what restores service stays what was shown."""
    fee = OpenCharge(charge_id, RECONNECT_FEE, account.today, account.today, account.reconnect_fee)
    return dataclasses.replace(account, open_charges=(*account.open_charges, fee))


@dataclass(frozen=True)
class PaymentEffect:
    """What one account's payment does: the parts applied (``charge_id`` None: credit),
    the balance after, the receipt's status note, and the service status it moves the
    account to (``status_after`` None: unchanged)."""

    applied: tuple[Applied, ...]
    balance_after: Money
    note: str
    status_after: AccountStatus | None = None

    @property
    def credit(self) -> Money:
        return credit_of(self.applied)

    @property
    def stops_shutoff(self) -> bool:
        return self.status_after is AccountStatus.ACTIVE

    @property
    def restores_service(self) -> bool:
        """The reconnect fee is paid and the account is to be turned on again."""
        return self.status_after is AccountStatus.RECONNECT_ORDERED


def apply_payment(account: AccountSummary, amount: Money, *, fees_first: bool) -> PaymentEffect:
    """Apply ``amount`` to the account: oldest charge first, the remainder credit. A payment
    that restores service pays the reconnect fee first; the fee must be billed beforehand
    (``with_reconnect_fee``) when ``reconnect_fee_to_bill`` says so."""
    done = keeps_service(account, amount)
    status_after = SERVICE_KEPT.get(account.status) if done else None
    first: list[OpenCharge] = []
    if status_after is AccountStatus.RECONNECT_ORDERED:
        if reconnect_fee_to_bill(account, amount):
            raise ValueError("bill the reconnect fee (with_reconnect_fee) before applying")
        first = _reconnect_fees(account)
    fee_parts, left = pour(amount, ((c.id, c.open) for c in first))
    paid_first = {c.id for c in first}
    rest = [c for c in account.open_charges if c.id not in paid_first]
    applied = (*fee_parts, *allocate(left, rest, fees_first=fees_first))
    note = _receipt_note(account, done)
    return PaymentEffect(applied, account.balance - amount, note, status_after)


def _receipt_note(account: AccountSummary, keeps: bool) -> str:
    status = account.status
    if status is AccountStatus.SHUTOFF_PENDING:
        if keeps:
            return "Shut-off stopped"
        when = f" {account.shutoff_date:%m/%d}" if account.shutoff_date else ""
        return f"Shut-off{when} still pending"
    if status is AccountStatus.DISCONNECTED:
        if not keeps:
            return "Service disconnected: balance past due"
        return f"Paid to restore service{account.incl_reconnect_fee}"
    if status is AccountStatus.CLOSED:
        return "Final bill"
    return ""
