"""The payment rules' refusals: one class per refusal, each with its one message.

The cart, the services and the screen raise (or show) these; none words a refusal again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.transactions import Reversal


class NoAccount(ValidationError):
    """A transaction with no account on it."""

    def __init__(self) -> None:
        super().__init__("Add an account to the transaction first (Enter on a result)")


class AccountRefusal(ValidationError):
    """A refusal about one account: the class's ``message`` with ``{number}`` filled in."""

    message: ClassVar[str]

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(self.message.format(number=number))


class AccountAlreadyAdded(AccountRefusal):
    message = "Account {number} is already on this transaction: it cannot be added twice"


class AmountNotPositive(AccountRefusal):
    message = "Account {number}: the amount to pay must be more than zero"


class ClosedNothingOwed(AccountRefusal):
    """A closed account with nothing open takes no payment."""

    message = (
        "Account {number} is closed with nothing owed: take payment on the customer's "
        "current account"
    )


class OverFinalBill(ValidationError):
    """A closed account takes at most its final bill: it cannot hold a credit."""

    def __init__(self, number: str, final_bill: Money) -> None:
        self.number, self.final_bill = number, final_bill
        super().__init__(
            f"Account {number} is closed: it takes at most its final bill {final_bill.format()}"
        )


class NoStubAmount(AccountRefusal):
    """F11 on a line with no scanned stub whose amount differs from the balance now."""

    message = (
        "Account {number}: no stub with another amount was scanned for it (F11 pays a "
        "scanned stub's amount instead of the balance now)"
    )


class NothingPastDue(AccountRefusal):
    """F10 (keep service) on an account whose service is not at risk."""

    message = "Account {number} has nothing past due: its service is not at risk"


class ChecksNotAccepted(ValidationError):
    """A check offered while an account that takes no checks is on the transaction.

    ``str()`` is the refusal (naming the first such account); ``brief`` is the same refusal
    in the few words the status line shows before a tender dialog would open."""

    def __init__(self, numbers: Sequence[str]) -> None:
        if not numbers:
            raise ValueError("ChecksNotAccepted names at least one account")
        self.numbers = tuple(numbers)
        super().__init__(
            f"Account {numbers[0]} does not accept checks after a returned check: "
            "take cash or certified funds (money order) only"
        )

    @property
    def brief(self) -> str:
        return (
            f"Cash or certified funds only: account {', '.join(self.numbers)} does not "
            "accept checks"
        )


class NoTender(ValidationError):
    def __init__(self) -> None:
        super().__init__("Add a tender: F5 cash, F6 check, F7 money order, F8 card")


class TenderEnteredTwice(ValidationError):
    """The same check or money order entered twice on one transaction."""

    def __init__(self, label: str, reference: str) -> None:
        super().__init__(f"{label} #{reference} is already on this transaction")


class ShortTender(ValidationError):
    def __init__(self, tendered: Money, amount_due: Money) -> None:
        self.tendered, self.amount_due = tendered, amount_due
        super().__init__(
            f"Tendered {tendered.format()} is {(amount_due - tendered).format()} short of the "
            f"total {amount_due.format()}"
        )


class ExcessNonCashRefused(ValidationError):
    """Non-cash over the total when the office's policy refuses it (no change from it)."""

    def __init__(self, excess: Money) -> None:
        self.excess = excess
        super().__init__(
            f"Non-cash tenders exceed the total by {excess.format()}: no change is given "
            "from checks, money orders or cards. Correct the amounts"
        )


class ExcessNonCashOnClosed(ValidationError):
    """Non-cash over the total would be credit on a closed account, which holds none."""

    def __init__(self, excess: Money, number: str) -> None:
        self.excess, self.number = excess, number
        super().__init__(
            f"Non-cash tenders exceed the total by {excess.format()} and account {number} "
            "is closed: it cannot hold a credit"
        )


class CreditAlreadyUsed(AccountRefusal):
    """A reversal would take back credit the account has since spent."""

    message = (
        "Account {number}: the credit from this payment was already used; a supervisor must "
        "adjust it in billing"
    )


class AlreadyReversed(ValidationError):
    """A receipt is reversed once: by a void or by a returned check, never both."""

    def __init__(self, number: str, reversal: Reversal, zone: dt.tzinfo) -> None:
        self.number, self.reversal = number, reversal
        on = reversal.at.astimezone(zone).strftime("%m/%d/%Y")
        super().__init__(
            f"Receipt {number} was already {reversal.kind.reversed_as} on {on} "
            f"({reversal.receipt_number})"
        )


class RefundNotPositive(AccountRefusal):
    message = "Account {number}: the amount to refund must be more than zero"


class RefundNeedsReason(AccountRefusal):
    message = "Account {number}: enter why the credit is refunded (it is printed on the slip)"


class NoCreditBalance(ValidationError):
    """A refund asked for on an account that holds nothing beyond what it owes
    (``owing``: what it owes beyond what it holds, zero or more)."""

    def __init__(self, number: str, owing: Money) -> None:
        self.number, self.owing = number, owing
        now = f"it owes {owing.format()}" if owing.is_positive else "its balance is $0.00"
        super().__init__(f"Account {number} has no credit balance to refund: {now}")


class RefundOverCredit(ValidationError):
    """A refund of more than the account may be paid back."""

    def __init__(self, number: str, amount: Money, most: Money, held: str) -> None:
        self.number, self.amount, self.most = number, amount, most
        super().__init__(
            f"Refund {amount.format()} is more than account {number}'s {held} of "
            f"{most.format()}: refund at most {most.format()}"
        )
