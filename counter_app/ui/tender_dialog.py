"""Entering one tender: amount (defaults to what is still due) and, by kind, the check or
money-order number, or the card's last four digits and authorisation code. Above the form,
the service-status guard: each account's warnings (shut-off and what stops it, disconnected
and the reconnect fee, checks not accepted).

What the cashier must confirm is said in the message line and taken by Enter again on the
same entry: non-cash over the amount due (it becomes credit, ``vet``) and a check already
taken today (the same number and bank, from ``know_taken``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.errors import CounterError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TakenCheck, TenderEntry, taken_before
from counter_app.ui.widgets.common import (
    Dialog,
    ErrorLabel,
    MoneyEdit,
    badge_label,
    default_button,
    text_field,
)

Vet = Callable[[TenderEntry], Sequence[str]]  # what to confirm; raises a refusal
CONFIRM = "Enter again to take it, or correct it"
QUICK_CASH = (("2", Money(2000)), ("5", Money(5000)), ("1", Money(10000)))


def quick_cash(due: Money) -> list[tuple[str, str, Money]]:
    """The cash tender's quick keys as (key, label, amount): the exact amount due, then the
    bills customers hand over most ($20, $50, $100)."""
    keys = [("E", f"Exact {due.format()}", due)] if due.is_positive else []
    return keys + [(key, bill.format(), bill) for key, bill in QUICK_CASH]


class TenderDialog(Dialog):
    """Accepted with ``self.tender`` set to a validated tender."""

    def __init__(
        self,
        kind: TenderKind,
        suggested: Money,
        parent: QWidget | None = None,
        accounts: Sequence[AccountSummary] = (),
        vet: Vet | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.tender: TenderEntry | None = None
        self._vet = vet
        self.taken: Sequence[TakenCheck] | None = ()  # None: today's checks still loading
        self._asked: tuple[TenderEntry, tuple[str, ...]] | None = None  # shown, to confirm
        self._waiting = False  # Enter came before today's checks did
        self.setWindowTitle(kind.label)
        self.amount = MoneyEdit(f"{kind.label} amount")
        self.amount.set_money(suggested)
        self.reference = text_field(f"{kind.label} number")
        self.bank = text_field("Bank")
        self.last4 = text_field("Card last four digits", max_length=4)
        self.auth = text_field("Authorisation code")
        form = QFormLayout()
        form.addRow("&Amount", self.amount)
        if kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER):
            form.addRow(f"{kind.label} &number", self.reference)
        if kind is TenderKind.CHECK:
            form.addRow("&Bank (optional)", self.bank)
        if kind is TenderKind.CARD:
            form.addRow("&Last four", self.last4)
            form.addRow("A&uthorisation", self.auth)
        self.error = ErrorLabel()
        ok = default_button("Add", self.submit)
        self.quick: list[QPushButton] = []
        if kind is TenderKind.CASH:
            for key, text, amount in quick_cash(suggested):
                button = QPushButton(f"{text} (Alt+{key})")
                button.setShortcut(QKeySequence(f"Alt+{key}"))
                button.setAutoDefault(False)
                button.clicked.connect(lambda _c=False, amount=amount: self.submit_amount(amount))
                self.quick.append(button)
        layout = QVBoxLayout(self)
        self.warnings = [
            badge_label(b, f"{a.number}: ")
            for a in accounts
            for b in a.badges()
            if b.level != "info"
        ]
        for badge in self.warnings:
            layout.addWidget(badge)
        layout.addLayout(form)
        if self.quick:
            row = QHBoxLayout()
            for button in self.quick:
                row.addWidget(button)
            layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(ok)
        self.setMinimumWidth(660)  # the quick-cash keys side by side
        self.amount.setFocus()

    def submit_amount(self, amount: Money) -> None:
        """A quick-cash key: this amount, added at once."""
        self.amount.set_money(amount)
        self.submit()

    def await_taken_checks(self) -> None:
        """Today's checks are being loaded: a check waits for them before it is taken."""
        self.taken = None

    def know_taken(self, taken: Sequence[TakenCheck]) -> None:
        """Today's checks arrived: an Enter that waited for them goes on."""
        self.taken = tuple(taken)
        if self._waiting:
            self._waiting = False
            self.submit()

    def submit(self) -> None:
        try:
            tender = TenderEntry(
                self.kind,
                self.amount.money(),
                reference=self.reference.text().strip(),
                bank=self.bank.text().strip(),
                card_last4=self.last4.text().strip(),
                auth_code=self.auth.text().strip(),
            ).validated()
            notices = list(self._vet(tender)) if self._vet is not None else []
        except CounterError as exc:
            self._asked = None
            self.error.show_error(exc)
            return
        if self.kind is TenderKind.CHECK:
            if self.taken is None:
                self._waiting = True
                self.error.show_error("Looking at today's checks…")
                return
            if (seen := taken_before(tender, self.taken)) is not None:
                notices.append(seen.warning)
        asked = (tender, tuple(notices))
        if notices and self._asked != asked:
            self._asked = asked
            self.error.show_error(". ".join(notices) + f" — {CONFIRM}")
            return
        self.tender = tender
        self.accept()
