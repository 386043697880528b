"""Refunding an account's credit balance, pure: what may be paid back, from where, and how.

What may be refunded is what the office holds for the account beyond what it owes:
- an account in service: its credit on file less its open charges (a credit balance); its
  deposit stays held as long as the service does;
- a closed account: its deposit held and its credit, less what is still open (the final
  bill): closing the account releases the deposit.

A refund takes the credit first, then the deposit. The credit part is a negative credit
allocation (``allocations.charge_id`` NULL), so the credit on file stays the sum of the
account's credit allocations; the deposit part lowers ``accounts.deposit_cents`` and is
named in the payment's note. Paid in cash, the money leaves the drawer (a negative cash
tender); as a check to be issued, nothing leaves the drawer (a ``refund_check`` tender,
never a check taken in). Either way a supervisor approves it (``OverrideAction.REFUND``).
"""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.domain.accounts import AccountStatus, AccountSummary
from counter_app.domain.errors import ValidationError
from counter_app.domain.labels import LabelledEnum
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.refusals import (
    NoCreditBalance,
    RefundNeedsReason,
    RefundNotPositive,
    RefundOverCredit,
)
from counter_app.domain.text import untrusted_text_refusal

REASON_MAX = 200  # what one reason may say (it is printed on the slip)


class RefundMethod(LabelledEnum):
    """How the money goes back; ``label`` is what the slip says."""

    CASH = "cash", "Cash refunded"
    CHECK = "check", "Check to be issued by the office"

    @property
    def tender(self) -> TenderKind:
        """The tender kind the refund is stored as (negative)."""
        return TenderKind.CASH if self is RefundMethod.CASH else TenderKind.REFUND_CHECK

    @property
    def choice(self) -> str:
        """The words of the choice in the refund dialog."""
        return "Cash from the drawer" if self is RefundMethod.CASH else "Check to be issued"

    @property
    def override_cause(self) -> str:
        """Why the refund needs a supervisor, as the override dialog says it."""
        if self is RefundMethod.CASH:
            return "Paying an account's credit back in cash from the drawer needs a supervisor"
        return "Refunding an account's credit needs a supervisor: the office issues the check"

    @classmethod
    def of(cls, tender: TenderKind) -> RefundMethod:
        """The method a refund's stored tender says it was paid by."""
        return cls.CASH if tender is TenderKind.CASH else cls.CHECK


@dataclass(frozen=True)
class Refundable:
    """What account ``number`` holds beyond what it owes, and where it is held."""

    number: str
    credit: Money  # credit on file
    deposit: Money  # the deposit that may be refunded (a closed account's; else zero)
    owed: Money  # open charges
    closed: bool

    @property
    def amount(self) -> Money:
        """The most that may be refunded."""
        return (self.credit + self.deposit - self.owed).max(Money(0))

    @property
    def owing(self) -> Money:
        """What the account owes beyond all it holds (zero when it holds more)."""
        return (self.owed - self.credit - self.deposit).max(Money(0))

    @property
    def held(self) -> str:
        """Where the refundable money is, in words (for a refusal)."""
        return "deposit and credit less the final bill" if self.closed else "credit balance"

    @property
    def sum(self) -> str:
        """How the refundable amount is made up, for the refund dialog."""
        parts = [f"credit {self.credit.format()}"]
        if self.deposit:
            parts.insert(0, f"deposit held {self.deposit.format()}")
        if self.owed:
            parts.append(f"less {self.owed.format()} owed")
        return f"May be refunded: {self.amount.format()} ({', '.join(parts)})"


def refundable(account: AccountSummary) -> Refundable:
    """What may be refunded to ``account`` now."""
    closed = account.status is AccountStatus.CLOSED
    return Refundable(
        number=account.number,
        credit=account.credit,
        deposit=account.deposit if closed else Money(0),
        owed=account.open_total,
        closed=closed,
    )


@dataclass(frozen=True)
class RefundSplit:
    """A refund of ``from_credit + from_deposit``: the credit first, then the deposit."""

    from_credit: Money
    from_deposit: Money

    @property
    def amount(self) -> Money:
        return self.from_credit + self.from_deposit

    @property
    def note(self) -> str:
        """What the slip and the history say about a deposit paid back ("" when none)."""
        if not self.from_deposit:
            return ""
        return f"Deposit refunded {self.from_deposit.format()}"


def split_refund(held: Refundable, amount: Money) -> RefundSplit:
    """Where a refund of ``amount`` comes from; refuses an amount that is not positive or
    more than may be refunded."""
    if not amount.is_positive:
        raise RefundNotPositive(held.number)
    most = held.amount
    if not most.is_positive:
        raise NoCreditBalance(held.number, held.owing)
    if amount > most:
        raise RefundOverCredit(held.number, amount, most, held.held)
    from_credit = amount.min(held.credit)
    return RefundSplit(from_credit, amount - from_credit)


def check_reason(number: str, reason: str) -> str:
    """The reason, trimmed; refuses none, control characters, a card number, too long."""
    text = reason.strip()
    if not text:
        raise RefundNeedsReason(number)
    if refusal := untrusted_text_refusal("The refund reason", text):
        raise ValidationError(refusal)
    if len(text) > REASON_MAX:
        raise ValidationError(
            f"The refund reason is {len(text)} characters long: at most {REASON_MAX} fit"
        )
    return text


def refund_subject(number: str, amount: Money) -> str:
    """What a refund override names: the account and the amount."""
    return f"{number} {amount.format()}"


def refund_description(number: str, amount: Money, method: RefundMethod) -> str:
    """The action as the override dialog names it."""
    how = "in cash" if method is RefundMethod.CASH else "by check"
    return f"Refund {amount.format()} credit to {number} {how}"
