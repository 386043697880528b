"""The transaction being built at the window, before it is posted.

Pure state and arithmetic the counter screen shows: accounts with the amount to pay on
each, tenders, and TOTAL / TENDERED / CHANGE. Posting re-checks everything in the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.money import Money
from counter_app.domain.payments import (
    ExcessCredit,
    ExcessNonCash,
    check_account_takes,
    checks_refusal,
    excess_credit,
    line_note,
)
from counter_app.domain.receipt import TenderKind, Totals
from counter_app.domain.refusals import (
    AccountAlreadyAdded,
    AmountNotPositive,
    ChecksNotAccepted,
    NoStubAmount,
    NothingPastDue,
)
from counter_app.domain.tenders import TenderEntry, change_due, check_tenders


@dataclass
class CartLine:
    account: AccountSummary
    amount: Money
    stub: Money | None = None  # a scanned stub's amount that is not the balance due now

    @property
    def note(self) -> str:
        """What this amount does for the account's service status (and, while a stale
        stub's amount is not taken, that amount: the alternative F11 takes)."""
        note = line_note(self.account, self.amount)
        if self.stub is not None and self.amount != self.stub:
            offer = f"stub {self.stub.format()}: F11"
            return f"{note} · {offer}" if note else offer
        return note

    @property
    def stub_difference(self) -> str:
        """How the stub's amount differs from the balance due now, in words ("" when no
        stub differs): "the stub says $108.33, $50.00 more"."""
        if self.stub is None:
            return ""
        now = self.account.balance_due
        more = self.stub > now
        gap = (self.stub - now) if more else (now - self.stub)
        return f"the stub says {self.stub.format()}, {gap.format()} {'more' if more else 'less'}"


@dataclass
class Cart(Totals):
    lines: list[CartLine] = field(default_factory=list)
    tenders: list[TenderEntry] = field(default_factory=list)
    excess_noncash: ExcessNonCash = "credit"  # the office's ``policy.excess_noncash``
    excess_confirmed: ExcessCredit | None = None  # the credit the cashier said yes to

    def add_account(
        self, account: AccountSummary, amount: Money | None = None, *, stub: Money | None = None
    ) -> CartLine:
        """Add an account at its balance due (or ``amount``); refuses duplicates and
        accounts that take no payment. A scanned ``stub`` amount that is no longer the
        balance due (a stale stub) is kept on the line as the alternative (``pay_stub``):
        the balance due now is the default, so an old stub never overpays unasked."""
        if any(line.account.number == account.number for line in self.lines):
            raise AccountAlreadyAdded(account.number)
        check_account_takes(account)
        due = account.balance_due
        if amount is None:
            amount = stub if stub is not None and stub == due else due
        line = CartLine(account, amount, stub if stub is not None and stub != due else None)
        self.lines.append(line)
        return line

    def pay_stub(self, index: int) -> None:
        """Set the line to its scanned stub's amount (the alternative to the balance now)."""
        line = self.lines[index]
        if line.stub is None:
            raise NoStubAmount(line.account.number)
        check_account_takes(line.account, line.stub)
        self.set_amount(index, line.stub)

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
        """Add a tender; refuses an invalid one, a check on a no-checks account, or non-cash
        over the total where the office refuses it (``excess_credit``)."""
        tender.validated()
        if tender.kind is TenderKind.CHECK and (refusal := self.checks_refused):
            raise refusal
        check_tenders([*self.tenders, tender])
        self.excess_credit(tender)
        self.tenders.append(tender)

    def excess_credit(self, adding: TenderEntry | None = None) -> ExcessCredit | None:
        """The non-cash over the total that would become credit (with ``adding`` added);
        raises the refusal when it may not (policy ``refuse``, a closed first account)."""
        tenders = [*self.tenders, adding] if adding is not None else self.tenders
        return excess_credit(
            [(line.account, line.amount) for line in self.lines],
            tenders,
            excess_noncash=self.excess_noncash,
        )

    @property
    def excess_to_confirm(self) -> ExcessCredit | None:
        """Credit from non-cash over the total that the cashier has not confirmed yet (as
        it now is: a changed amount or account needs confirming again)."""
        credit = self.excess_credit()
        return credit if credit is not None and credit != self.excess_confirmed else None

    def confirm_excess(self) -> None:
        """The cashier said yes to the credit ``excess_credit`` now names."""
        self.excess_confirmed = self.excess_credit()

    def clear(self) -> None:
        """Nothing on the transaction: no account, no tender, nothing confirmed."""
        self.lines.clear()
        self.tenders.clear()
        self.excess_confirmed = None

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
