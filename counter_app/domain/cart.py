"""The transaction being built at the window, before it is posted.

Pure state and arithmetic the counter screen shows: accounts with the amount to pay on
each, tenders, and TOTAL / TENDERED / CHANGE. Posting re-checks everything in the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.money import Money
from counter_app.domain.payments import check_account_takes, checks_refusal, line_note
from counter_app.domain.receipt import TenderKind, Totals
from counter_app.domain.refusals import (
    AccountAlreadyAdded,
    AmountNotPositive,
    ChecksNotAccepted,
    NothingPastDue,
)
from counter_app.domain.tenders import TenderEntry, change_due, check_tenders


@dataclass
class CartLine:
    account: AccountSummary
    amount: Money

    @property
    def note(self) -> str:
        """What this amount does for the account's service status."""
        return line_note(self.account, self.amount)


@dataclass
class Cart(Totals):
    lines: list[CartLine] = field(default_factory=list)
    tenders: list[TenderEntry] = field(default_factory=list)

    def add_account(self, account: AccountSummary, amount: Money | None = None) -> CartLine:
        """Add an account at its balance due (or ``amount``); refuses duplicates and
        accounts that take no payment."""
        if any(line.account.number == account.number for line in self.lines):
            raise AccountAlreadyAdded(account.number)
        check_account_takes(account)
        line = CartLine(account, amount if amount is not None else account.balance_due)
        self.lines.append(line)
        return line

    def set_amount(self, index: int, amount: Money) -> None:
        if not amount.is_positive:
            raise AmountNotPositive(self.lines[index].account.number)
        self.lines[index].amount = amount

    def pay_to_keep_service(self, index: int) -> None:
        """Set the line to what stops the shut-off / restores service, if that is owed."""
        account = self.lines[index].account
        keep = account.amount_to_keep_service
        if not keep.is_positive:
            raise NothingPastDue(account.number)
        self.lines[index].amount = keep

    def remove_line(self, index: int) -> None:
        del self.lines[index]

    def add_tender(self, tender: TenderEntry) -> None:
        """Add a tender; refuses an invalid one or a check on a no-checks account."""
        tender.validated()
        if tender.kind is TenderKind.CHECK and (refusal := self.checks_refused):
            raise refusal
        check_tenders([*self.tenders, tender])
        self.tenders.append(tender)

    @property
    def checks_refused(self) -> ChecksNotAccepted | None:
        """The refusal a check meets on this transaction; None when checks are taken. Ask
        before opening the check dialog and show its ``brief``."""
        return checks_refusal(line.account for line in self.lines)

    @property
    def check_refusal(self) -> str:
        """Why a check cannot be taken on this transaction ("" when it can)."""
        refusal = self.checks_refused
        return str(refusal) if refusal else ""

    @property
    def checks_accepted(self) -> bool:
        """Ask before opening the check dialog: False when an account refuses checks."""
        return not self.check_refusal

    def remove_tender(self, index: int) -> None:
        del self.tenders[index]

    @property
    def remaining(self) -> Money:
        """Still to tender; zero once enough is in."""
        return (self.total - self.tendered).max(Money(0))

    @property
    def change(self) -> Money:
        """Change due, from cash only."""
        return change_due(self.total, self.tenders)

    @property
    def ready(self) -> bool:
        return bool(self.lines) and bool(self.tenders) and self.tendered >= self.total

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.tenders
