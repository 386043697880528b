"""The checkout flow: cart → tender → post → print → change due.

Accounts come in from the lookup; tenders from F5–F8; Enter on an empty Find (or F9)
checks the drawer is closed where the station requires it, posts off the GUI thread with
the cart's idempotency key, prints, pops the drawer and shows the change. Non-cash over the
total is said before it becomes credit and needs Enter again (in the tender dialog, or at
Complete when the cart changed since); a check already taken today needs the same.

A post the database did not answer (``OutcomeUnknown``) is held by the ``OutcomeController``
(pending file, recheck by its key) and the cart cannot change meanwhile; a database that is
not answering refuses Complete, and the transaction stays on screen for when it is back."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.cart import CartLine
from counter_app.domain.errors import CounterError, OutcomeUnknown, StorageUnavailable
from counter_app.domain.money import Money
from counter_app.domain.payments import KEEP_SERVICE, what_keeps_service
from counter_app.domain.receipt import TenderKind
from counter_app.domain.refusals import NoAccount
from counter_app.domain.sessions import SessionInfo
from counter_app.domain.submission import Submission
from counter_app.domain.tenders import TenderEntry
from counter_app.domain.users import UserInfo
from counter_app.services import checks, lookup, posting
from counter_app.services.context import Context
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.controllers.common import NO_SESSION, DialogSlot, Staff
from counter_app.ui.controllers.devices import DeviceController
from counter_app.ui.controllers.outcome import OutcomeController
from counter_app.ui.operations import OPERATIONS, Changes, ReadOp, WriteOp, is_database_error
from counter_app.ui.tender_dialog import TenderDialog
from counter_app.ui.widgets.outcome_banner import OutcomeBanner
from counter_app.ui.widgets.search_pane import SearchPane
from counter_app.ui.widgets.transaction_panel import TransactionPanel


class CheckoutController(QObject):
    """Owns the cart, its idempotency key, the tender dialog and the change-due screen."""

    posted = Signal(object)  # the Receipt, after the commit

    def __init__(
        self,
        ctx: Context,
        staff: Staff,
        pane: SearchPane,
        panel: TransactionPanel,
        devices: DeviceController,
        parent: QWidget,
        banner: OutcomeBanner | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.staff, self.pane, self.panel, self.devices = (
            ctx,
            staff,
            pane,
            panel,
            devices,
        )
        self.window = parent
        self.cart = panel.cart
        self.cart.excess_noncash = ctx.settings.policy.excess_noncash
        self.pending_key: str | None = None  # kept only for a retry of the same cart
        self._cart_seen: object = self._fingerprint()
        self.completing = False  # a Complete is under way: a second Enter waits for it
        self._pay_said: tuple[str, str, Money] | None = None  # message, account, amount
        self.tender_dialog = DialogSlot(pane.focus, self)
        self.change_due = DialogSlot(pane.focus, self)
        panel.problem.connect(pane.say)
        panel.problem_gone.connect(pane.withdraw)
        panel.changed.connect(self._cart_changed)
        panel.amount_entered.connect(pane.focus)
        self.outcome = OutcomeController(ctx, banner or OutcomeBanner(parent), parent)
        self.outcome.found_posted.connect(self._posted)
        self.outcome.found_not_posted.connect(self._found_not_posted)
        self.outcome.held_changed.connect(self._hold_panel)
        self._edit_triggers = panel.table.editTriggers()
        self.db_down: Exception | None = None  # the Database light is red: Complete waits
        OPERATIONS.db_health.connect(self._db_health)
        who = staff.at_drawer()
        if who is not None:
            self.outcome.resume(who[1].id)

    # --- while a submission is in question, or the database is away -------------------------
    def _held(self, **what: bool) -> bool:
        """True (and said) when the cart may not change now."""
        refusal = self.outcome.refusal(**what)
        if refusal:
            self.pane.say(refusal)
        return bool(refusal)

    def _hold_panel(self, held: bool) -> None:
        """No amount can be typed into the transaction while it is held."""
        self.panel.table.setEditTriggers(
            self.panel.table.EditTrigger.NoEditTriggers if held else self._edit_triggers
        )

    def _db_health(self, error: Exception | None) -> None:
        was_down, self.db_down = self.db_down, error
        back = error is None and was_down is not None
        if back and self.cart.ready and not (self.completing or self.outcome.checking):
            self.pane.say("The database is answering again: press Enter to complete")

    # --- building the transaction -------------------------------------------------------
    def _fingerprint(self) -> object:
        return (
            tuple((ln.account.number, ln.amount) for ln in self.cart.lines),
            tuple(self.cart.tenders),
        )

    def _cart_changed(self) -> None:
        """Any change to the cart makes it a new submission: a new idempotency key. A
        "pay $X" message still on screen follows its line's amount."""
        seen = self._fingerprint()
        if seen != self._cart_seen:
            self._cart_seen = seen
            self.pending_key = None
        self._follow_pay()

    def _say_pay(self, line: CartLine, text: str) -> None:
        """Say ``text``, which tells what ``line`` pays; it is said again if that changes."""
        self.pane.say(text)
        self._pay_said = (text, line.account.number, line.amount)

    def _follow_pay(self) -> None:
        """The "pay $X" message on screen, if its line's amount changed (Tab, F10, F11) or
        the line went: said anew, or taken away."""
        if self._pay_said is None:
            return
        text, number, amount = self._pay_said
        if self.pane.message.text() != text:  # something else was said since
            self._pay_said = None
            return
        line = next((ln for ln in self.cart.lines if ln.account.number == number), None)
        if line is None:
            self._pay_said = None
            self.pane.withdraw(text)
        elif line.amount != amount:
            self._say_pay(line, _pays(line))

    def add_account(self, summary: AccountSummary, amount: Money | None) -> bool:
        """Put ``summary`` in the cart at ``amount``, or at its balance due."""
        return self._add(summary, amount if amount and amount.is_positive else None, None)

    def add_found(self, summary: AccountSummary, stub: Money | None) -> bool:
        """The lookup's Enter: ``summary`` at its balance due; a scanned ``stub`` amount that
        differs from it is said, and F11 takes it instead."""
        return self._add(summary, None, stub if stub and stub.is_positive else None)

    def _add(self, summary: AccountSummary, amount: Money | None, stub: Money | None) -> bool:
        if self._held():
            return False
        if self.outcome.submission is None:
            self.outcome.banner.clear()  # a "Posted" banner goes with the next customer
        try:
            self.cart.add_account(summary, amount, stub=stub)
        except CounterError as exc:
            self.pane.say(exc)
            return False
        self.panel.refresh()
        line = self.cart.lines[-1]
        if line.stub is not None:
            self._say_pay(
                line,
                f"Added {summary.number}: pay {line.amount.format()}, the balance now "
                f"({line.stub_difference}) — F11 pays the stub's amount, F5–F8 to take "
                "payment, Tab to change the amount",
            )
        else:
            self._say_pay(
                line,
                f"Added {summary.number}: pay {line.amount.format()} — "
                "F5–F8 to take payment, Tab to change the amount, or find another account",
            )
        self.pane.search.clear()
        self.pane.focus()
        return True

    def pay_stub(self) -> None:
        """F11: the selected line (or the last one scanned) pays its stub's amount instead of
        the balance now."""
        if self._held():
            return
        lines = self.cart.lines
        row = self.panel.table.currentRow()
        scanned = [i for i, ln in enumerate(lines) if ln.stub is not None]
        if not (0 <= row < len(lines)) or lines[row].stub is None:
            row = scanned[-1] if scanned else (len(lines) - 1)
        if row < 0:
            self.pane.say(NoAccount())
            return
        try:
            self.cart.pay_stub(row)
        except CounterError as exc:
            self.pane.say(exc)
            return
        self.panel.refresh()
        self._say_pay(lines[row], _pays(lines[row], ", the stub's amount"))
        self.pane.focus()

    def tab_to_amount(self) -> bool:
        """Tab from Find: edit the last account's amount (if there is one)."""
        if not self.cart.lines:
            return False
        if self._held():
            return True
        self.panel.edit_amount(len(self.cart.lines) - 1)
        return True

    def pay_to_keep_service(self) -> None:
        """F10: the selected (or only) account pays just what keeps its service on; it says
        what it set, or why it set nothing."""
        if self._held():
            return
        row = self.panel.selected_row()
        if row < 0:
            self.pane.say(f"{KEEP_SERVICE} (F10): {NoAccount()}")
            return
        line = self.cart.lines[row]
        before = line.amount
        try:
            self.cart.pay_to_keep_service(row)
        except CounterError as exc:
            self.pane.say(f"{KEEP_SERVICE} (F10): {exc} — the amount stays {before.format()}")
            return
        self.panel.refresh()
        number, amount = line.account.number, line.amount.format()
        self._say_pay(
            line,
            f"{KEEP_SERVICE} (F10): account {number} "
            + ("already pays" if line.amount == before else "pays")
            + f" {amount}, {what_keeps_service(line.account)} (balance "
            f"{line.account.balance_due.format()}) — F5–F8 to take payment",
        )

    def remove_selected(self) -> None:
        if not self._held():
            self.panel.remove_selected()

    def ask_tender(self, kind: TenderKind) -> None:
        if self._held():
            return
        if not self.cart.lines:
            self.pane.say(NoAccount())
            return
        if kind is TenderKind.CHECK and (refusal := self.cart.checks_refused):
            self.pane.say(refusal.brief)
            return
        suggested = self.cart.remaining or Money(0)
        accounts = [ln.account for ln in self.cart.lines]
        dialog = TenderDialog(kind, suggested, self.window, accounts, vet=self._vet)
        if kind is TenderKind.CHECK:
            self._load_taken_checks(dialog)
        self.tender_dialog.open(dialog, lambda: self._tender_entered(dialog))

    def _vet(self, tender: TenderEntry) -> list[str]:
        """What the cashier confirms before ``tender`` is taken: the credit it would make
        (a refusal, by the office's policy, is raised)."""
        credit = self.cart.excess_credit(tender)
        return [str(credit)] if credit is not None else []

    def _load_taken_checks(self, dialog: TenderDialog) -> None:
        """Today's checks, for the dialog's duplicate-check warning (off the GUI thread; a
        failed look-up warns of nothing rather than keep the customer waiting)."""
        who = self.staff.at_drawer()
        if who is None:
            return
        session_id = who[1].id
        dialog.await_taken_checks()
        ReadOp(dialog, lambda: checks.taken_today(self.ctx, session_id)).success(
            dialog.know_taken
        ).failure(lambda _error: dialog.know_taken(())).run_in_background()

    def _tender_entered(self, dialog: TenderDialog) -> None:
        assert dialog.tender is not None
        try:
            self.cart.add_tender(dialog.tender)
        except CounterError as exc:
            self.pane.say(exc)
            return
        self.cart.confirm_excess()  # the dialog said it and the cashier pressed Enter again
        self.panel.refresh()
        if self.cart.ready:
            credit = self.cart.excess_confirmed
            self.pane.say(
                f"Press Enter to complete (change {self.cart.change.format()})"
                + (f" — {credit}" if credit is not None else "")
            )
        else:
            self.pane.say(f"Still due {self.cart.remaining.format()}")
        self.pane.focus()

    def clear_cart(self) -> None:
        self.cart.clear()
        self.panel.refresh()
        self.pane.reset()

    def clear(self) -> None:
        """Esc: clear what is not posted; with tenders entered, Esc twice. A submission
        whose outcome is not known yet cannot be cleared; one that did not post is dropped."""
        if self._held(clearing=True):
            return
        message = self.pane.message
        if self.cart.tenders and message.property("confirm_clear") is not True:
            self.pane.say("Tenders are entered: press Esc again to clear this transaction")
            message.setProperty("confirm_clear", True)
            return
        message.setProperty("confirm_clear", False)
        dropped = self.outcome.submission
        if dropped is not None:
            self.outcome.drop(self.staff.user.id if self.staff.user else dropped.user_id)
        self.clear_cart()
        self.pane.say(f"Cleared: {dropped.what} was not posted" if dropped else "Cleared")
        self.pane.focus()

    # --- completing ---------------------------------------------------------------------
    def complete_if_ready(self) -> None:
        """Enter on an empty Find completes a transaction that is fully tendered."""
        if self.cart.ready:
            self.complete()

    def complete(self) -> None:
        """F9: check the drawer is closed (if required), post, print, open the drawer, show
        the change."""
        who = self.staff.at_drawer()
        if who is None:
            self.pane.say(NO_SESSION)
            return
        if not self.cart.ready:
            self.pane.say(
                f"Still due {self.cart.remaining.format()}" if self.cart.lines else NoAccount()
            )
            return
        if self.completing:
            self.pane.say("Posting… wait for the receipt")
            return
        if self._held(completing=True):
            return
        if self.db_down is not None:
            self.pane.say(_kept_while_down(self.db_down))
            return
        try:
            credit = self.cart.excess_to_confirm
        except CounterError as exc:  # the office refuses it, or the account is closed
            self.pane.say(exc)
            return
        if credit is not None:  # the cart changed since the tender: say it again
            self.cart.confirm_excess()
            self.pane.say(f"{credit} — press Enter again to complete")
            return
        self.completing = True
        self.pane.say("Checking the drawer…")
        self.devices.require_closed(lambda: self._post(*who), self._stop_completing)

    def _stop_completing(self) -> None:
        self.completing = False

    def _post(self, user: UserInfo, session: SessionInfo) -> None:
        if not self.cart.ready:
            self.completing = False
            return
        self.pending_key = self.pending_key or posting.new_idempotency_key()
        key = self.pending_key
        payments = [posting.PaymentRequest(ln.account.number, ln.amount) for ln in self.cart.lines]
        tenders = list(self.cart.tenders)
        sent = Submission(
            key=key,
            station=session.station,
            user_id=user.id,
            session_id=session.id,
            payments=tuple((p.account_number, p.amount) for p in payments),
            tenders=tuple(tenders),
            receipt="",
            at=self.ctx.now(),
        )
        self.pane.say("Posting…")
        WriteOp(
            self,
            lambda: posting.post_transaction(
                self.ctx,
                session_id=session.id,
                user_id=user.id,
                payments=payments,
                tenders=tenders,
                idempotency_key=key,
            ),
            Changes.posting([p.account_number for p in payments]),
        ).success(self._posted).failure(
            lambda error: self._not_posted(sent, error)
        ).run_in_background()

    def _not_posted(self, sent: Submission, error: Exception) -> None:
        self.completing = False
        if isinstance(error, OutcomeUnknown):  # never guessed, never posted again blindly
            self.outcome.hold(dataclasses.replace(sent, receipt=error.receipt))
            self.pane.say(error)
        elif is_database_error(error):
            self.pane.say(_kept_while_down(error))
        else:
            self.pane.say(error)

    def _found_not_posted(self, sub: Submission) -> None:
        """The database says the held submission did not post: the cart is (or, after a
        restart, is made again) that very submission, with its key, for Enter."""
        if self.cart.lines:
            self.pane.say(f"Not posted: press Enter to complete {sub.what} again")
            return
        ReadOp(self, lambda: [lookup.get_account(self.ctx, n) for n, _a in sub.payments]).success(
            lambda found: self._rebuild(sub, found)
        ).failure(self.pane.say).run_in_background()

    def _rebuild(self, sub: Submission, accounts: list[AccountSummary]) -> None:
        try:
            for account, (_number, amount) in zip(accounts, sub.payments, strict=True):
                self.cart.add_account(account, amount)
            for tender in sub.tenders:
                self.cart.add_tender(tender)
        except CounterError as exc:
            self.pane.say(f"{sub.what} cannot be put back on screen ({exc}): Esc twice drops it")
        self.cart.confirm_excess()  # the cashier had confirmed it before it was sent
        self.panel.refresh()
        self.pending_key = sub.key  # the same submission, the same key: at most once
        self._cart_seen = self._fingerprint()
        self.pane.say(f"Not posted: press Enter to complete {sub.what} again")

    def _posted(self, result: posting.Posted) -> None:
        self.completing = False
        if self.outcome.submission is not None:
            self.outcome.posted(result)
        receipt = result.receipt
        self.clear_cart()
        self.pane.say(f"Posted receipt {receipt.number}")
        self.posted.emit(receipt)
        self.devices.print_receipt(receipt)
        self.devices.hand_over(
            self.change_due,
            ChangeDueDialog(result.change, receipt, self.window),
            f"receipt {receipt.number}",
        )


def _kept_while_down(error: Exception) -> str:
    """Complete refused, or failed, because the database is not answering."""
    said = isinstance(error, StorageUnavailable) and error.reason
    reason = said or (str(error).strip().splitlines() or [type(error).__name__])[0]
    return (
        f"The database is not answering ({reason}): nothing was posted. The transaction "
        "stays on screen — press Enter to complete when the Database light is green"
    )


def _pays(line: CartLine, which: str = "") -> str:
    """What ``line`` pays now, in the words of the message line ("…, the stub's amount")."""
    note = f" ({line.note})" if line.note else ""
    return (
        f"Account {line.account.number}: pay {line.amount.format()}{which}{note} — F5–F8 to "
        "take payment, Tab to change the amount"
    )
