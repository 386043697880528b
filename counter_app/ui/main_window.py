"""The counter screen: find an account, build the transaction, take tenders, complete.

Keyboard first: F2 find, ↓ to the results, Enter adds the account, F5–F8 tenders, Enter on
an empty Find completes, Esc clears what is not posted, F1 keys, F12 menu. All database work
runs off the GUI thread (``DbOp``); printing and the drawer run on their device threads,
after the commit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.cart import Cart
from counter_app.domain.errors import CounterError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import Receipt, TenderKind
from counter_app.domain.sessions import Movement, MovementKind, SessionInfo
from counter_app.domain.users import UserInfo
from counter_app.services import drawer, lookup, posting, receipts, voids
from counter_app.services.context import Context
from counter_app.services.lookup import SearchResult
from counter_app.services.receipts import ReceiptRow
from counter_app.ui.action_dialogs import MovementDialog, ReceiptPickDialog, ReturnedCheckDialog
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.devices import Devices
from counter_app.ui.login_dialog import LoginDialog
from counter_app.ui.ops import DbOp
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.receipt_window import ReceiptWindow
from counter_app.ui.tender_dialog import TenderDialog
from counter_app.ui.transaction_panel import KEY_HINTS, TransactionPanel

ICONS = {"warn": "⚠", "stop": "⛔", "info": "ℹ"}
DEVICE_POLL_MS = 15_000


def light(label: QLabel, state: str, text: str) -> None:
    """A status light: a coloured dot (ok / warn / bad) with words, never colour alone."""
    label.setText(f"● {text}")
    label.setProperty("state", state)
    label.style().unpolish(label)
    label.style().polish(label)


TENDER_KEYS = {
    "F5": TenderKind.CASH,
    "F6": TenderKind.CHECK,
    "F7": TenderKind.MONEY_ORDER,
    "F8": TenderKind.CARD,
}


class MainWindow(QMainWindow):
    """Counter's one main window for a logged-in cashier with an open session."""

    posted = Signal(object)  # the Receipt, after the commit

    def __init__(
        self,
        ctx: Context,
        user: UserInfo | None = None,
        session: SessionInfo | None = None,
        devices: Devices | None = None,
    ) -> None:
        super().__init__()
        self.ctx, self.user, self.session = ctx, user, session
        self.devices = devices or Devices(None, None)
        self.receipt_window = ReceiptWindow(ctx)
        self.posted.connect(self.receipt_window.show_receipt)
        self.cart = Cart()
        self.pending_key: str | None = None  # reused if a Complete is retried
        self.scan_amount: Money | None = None
        self.last_receipt: Receipt | None = None
        self.dialog: QWidget | None = None  # the dialog currently open, if any
        title = f"Counter — Station {ctx.station}"
        if user and session:
            opened = session.opened_at.astimezone(ctx.settings.zone)
            title += (
                f" — {user.full_name} ({user.role.value}) — Session #{session.id} open since "
                f"{opened:%H:%M}"
            )
        self.setWindowTitle(title)
        self.resize(1366, 768)
        self._build()
        self._keys()
        self.refresh_status()
        self.check_devices()
        self.device_timer = QTimer(self)
        self.device_timer.timeout.connect(self.check_devices)
        self.device_timer.start(DEVICE_POLL_MS)

    # --- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Account number, name, address, meter, phone — or scan a bill stub"
        )
        self.search.setAccessibleName("Find account")
        self.search.returnPressed.connect(self._search_enter)
        self.search.installEventFilter(self)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setAccessibleName("Message")
        self.message.setWordWrap(True)
        self.results = QListWidget()
        self.results.setAccessibleName("Results")
        self.results.currentItemChanged.connect(self._show_selected)
        self.results.itemDoubleClicked.connect(lambda _item: self.add_selected_account())
        self.results.installEventFilter(self)
        self.detail = QLabel("Find an account to see its balance.")
        self.detail.setAccessibleName("Account")
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setWordWrap(True)
        big = QFont(self.font())
        big.setPointSize(12)
        for w in (self.search, self.detail):
            w.setFont(big)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSize(11)
        self.results.setFont(fixed)  # columns of numbers and amounts line up
        self.panel = TransactionPanel(self.cart)
        self.panel.problem.connect(self.say)
        self.panel.tenders.setFont(fixed)

        find_row = QHBoxLayout()
        label = QLabel("[F2] Find:")
        label.setBuddy(self.search)
        find_row.addWidget(label)
        find_row.addWidget(self.search, 1)
        top = QSplitter()
        top.addWidget(self.results)
        top.addWidget(self.detail)
        top.setSizes([720, 640])
        body = QVBoxLayout()
        body.addLayout(find_row)
        body.addWidget(self.message)
        body.addWidget(top, 3)
        body.addWidget(self.panel, 4)
        central = QWidget()
        central.setLayout(body)
        self.setCentralWidget(central)

        self.db_status = QLabel(f"● Database {self.ctx.db.dialect}")
        self.db_status.setAccessibleName("Database status")
        self.printer_status = QLabel("● Printer")
        self.printer_status.setAccessibleName("Printer status")
        self.drawer_status = QLabel("● Drawer")
        self.drawer_status.setAccessibleName("Drawer status")
        self.today = QLabel("")
        self.today.setAccessibleName("Session totals")
        for w in (self.db_status, self.printer_status, self.drawer_status, self.today):
            self.statusBar().addPermanentWidget(w)
        self.search.setFocus()

    def _keys(self) -> None:
        self.menu = QMenu("Menu", self)
        entries: list[tuple[str, str, Callable[[], None]]] = [
            ("Paid-in…", "Ctrl+I", lambda: self.ask_movement(MovementKind.PAID_IN)),
            ("Paid-out…", "Ctrl+O", lambda: self.ask_movement(MovementKind.PAID_OUT)),
            ("Drop to safe…", "Ctrl+D", lambda: self.ask_movement(MovementKind.DROP)),
            ("No sale (open drawer)…", "Ctrl+N", lambda: self.ask_movement(MovementKind.NO_SALE)),
            ("Void a receipt…", "F4", self.ask_void),
            ("Reprint a receipt…", "F3", self.ask_reprint),
            ("Returned check…", "Ctrl+R", self.ask_returned_check),
            ("Show the last receipt", "Ctrl+P", self.toggle_receipt),
            ("Lock the screen", "Ctrl+L", self.lock),
            ("Log out", "Ctrl+Q", self.close),
        ]
        for text, key, slot in entries:
            action = QAction(f"{text}\t{key}", self)  # the menu shows the key
            action.triggered.connect(slot)
            self.menu.addAction(action)
            QShortcut(QKeySequence(key), self, activated=slot)
        QShortcut(QKeySequence("F12"), self, activated=self.show_menu)
        QShortcut(QKeySequence("F2"), self, activated=self.focus_search)
        QShortcut(QKeySequence("F1"), self, activated=self.show_keys)
        QShortcut(QKeySequence("F9"), self, activated=self.complete)
        QShortcut(QKeySequence("F10"), self, activated=self.panel.pay_to_keep_service)
        QShortcut(QKeySequence("Escape"), self, activated=self.clear)
        QShortcut(QKeySequence("Delete"), self.panel, activated=self.panel.remove_selected)
        for key, kind in TENDER_KEYS.items():
            QShortcut(QKeySequence(key), self, activated=lambda k=kind: self.ask_tender(k))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↓ in Find moves to the results; Enter in the results adds the account."""
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if watched is self.search and key == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus()
                return True
            if watched is self.results and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.add_selected_account()
                return True
        return super().eventFilter(watched, event)

    # --- feedback -----------------------------------------------------------------------
    def say(self, text: str | Exception) -> None:
        """Show a message (or an error's message) above the results."""
        if isinstance(text, Exception) and not isinstance(text, CounterError):
            text = f"Something went wrong: {text}"
        self.message.setText(str(text))

    def focus_search(self) -> None:
        self.activateWindow()  # back from a dialog: the keys work here again
        self.search.setFocus()
        self.search.selectAll()

    def show_keys(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, "Keys", KEY_HINTS.replace("  ·  ", "\n"), parent=self
        )
        box.setInformativeText(
            "F2 Find · ↓ to results · Enter adds the account · Tab to edit the amount to pay"
        )
        self.dialog = box
        box.open()

    # --- search -------------------------------------------------------------------------
    def _search_enter(self) -> None:
        if not self.search.text().strip():
            if self.cart.ready:
                self.complete()
            return
        self.run_search()

    def run_search(self) -> None:
        query = self.search.text()
        self.results.clear()  # never act on the previous search's results
        self.say("Searching…")
        DbOp(self, lambda: lookup.search(self.ctx, query)).success(self._show_results).failure(
            self.say
        ).run_in_background()

    def _show_results(self, result: SearchResult) -> None:
        self.results.clear()
        for hit in result.hits:
            flag = "" if hit.status.value == "active" else hit.status.label
            item = QListWidgetItem(
                f"{hit.number}  {hit.customer_name:<22.22}  {hit.service_address:<20.20}  "
                f"{hit.balance.format():>11}  {flag}"
            )
            item.setData(Qt.ItemDataRole.UserRole, hit.number)
            self.results.addItem(item)
        self.scan_amount = result.scan.amount_due if result.scan else None
        if result.scan:
            self.say(
                f"Stub scanned: account {result.scan.account_number}, amount due "
                f"{result.scan.amount_due.format()} — press Enter to add it"
            )
        else:
            self.say(
                f"{len(result.hits)} found — ↓ and Enter adds" if result.hits else "Nothing found"
            )
        if result.hits:
            self.results.setCurrentRow(0)
            if result.scan:
                self.results.setFocus()

    def _show_selected(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is None:
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        DbOp(self, lambda: lookup.get_account(self.ctx, number)).success(
            self._show_account
        ).failure(self.say).run_in_background()

    def _show_account(self, a: AccountSummary) -> None:
        aging = a.aging
        badges = "".join(
            f"<p style='font-weight:bold'>{ICONS[b.level]} {b.text}</p>" for b in a.badges()
        )
        due = f" due {a.due_date:%m/%d}" if a.due_date else ""
        last = "".join(
            f"<br>Last paid {p.paid_at.astimezone(self.ctx.settings.zone):%m/%d} "
            f"{p.amount.format()} {p.tenders} #{p.receipt_number}{' (VOID)' if p.voided else ''}"
            for p in a.last_payments
        )
        self.detail.setText(
            f"<h2>ACCOUNT {a.number} · {a.status.label}</h2>"
            f"<p>{a.customer_name} · {a.service_address} · meter {a.meter_number}</p>"
            f"<p style='font-size:18pt'><b>Balance {a.balance.format()}</b>{due}</p>"
            f"<p>Aging: current {aging.current} · 31–60 {aging.days_31_60} · "
            f"61–90 {aging.days_61_90} · 90+ {aging.days_over_90}</p>"
            f"<p>Deposit {a.deposit.format()} held · Credit {a.credit.format()}</p>"
            f"{badges}<p>{last[4:] if last else 'No counter payments yet'}</p>"
        )

    # --- building the transaction -------------------------------------------------------
    def add_selected_account(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        scan_amount = self.scan_amount
        DbOp(self, lambda: lookup.get_account(self.ctx, number)).success(
            lambda summary: self._add_to_cart(summary, scan_amount)
        ).failure(self.say).run_in_background()

    def _add_to_cart(self, summary: AccountSummary, amount: Money | None) -> None:
        try:
            self.cart.add_account(summary, amount if amount and amount.is_positive else None)
        except CounterError as exc:
            self.say(exc)
            return
        self.scan_amount = None
        self.panel.refresh()
        self.say(
            f"Added {summary.number}: pay {self.cart.lines[-1].amount.format()} — "
            "F5–F8 to take payment, or find another account"
        )
        self.search.clear()
        self.focus_search()

    def ask_tender(self, kind: TenderKind) -> None:
        if not self.cart.lines:
            self.say("Add an account first: find it and press Enter")
            return
        suggested = self.cart.remaining or Money(0)
        dialog = TenderDialog(kind, suggested, self)
        dialog.accepted.connect(lambda: self._tender_entered(dialog))
        self.dialog = dialog
        dialog.open()

    def _tender_entered(self, dialog: TenderDialog) -> None:
        assert dialog.tender is not None
        try:
            self.cart.add_tender(dialog.tender)
        except CounterError as exc:
            self.say(exc)
            return
        self.panel.refresh()
        if self.cart.ready:
            self.say("Press Enter to complete (change " + self.cart.change.format() + ")")
        else:
            self.say(f"Still due {self.cart.remaining.format()}")
        self.focus_search()

    def clear(self) -> None:
        """Esc: clear what is not posted; with tenders entered, Esc twice."""
        if self.cart.tenders and self.message.property("confirm_clear") is not True:
            self.say("Tenders are entered: press Esc again to clear this transaction")
            self.message.setProperty("confirm_clear", True)
            return
        self.message.setProperty("confirm_clear", False)
        self.cart.lines.clear()
        self.cart.tenders.clear()
        self.pending_key = None
        self.panel.refresh()
        self.search.clear()
        self.results.clear()
        self.say("Cleared")
        self.focus_search()

    # --- completing ---------------------------------------------------------------------
    def complete(self) -> None:
        if self.user is None or self.session is None:
            self.say("Log in and open a drawer first")
            return
        if not self.cart.ready:
            self.say(
                f"Still due {self.cart.remaining.format()}"
                if self.cart.lines
                else "Add an account first"
            )
            return
        self.pending_key = self.pending_key or posting.new_idempotency_key()
        key, user, session = self.pending_key, self.user, self.session
        payments = [posting.PaymentRequest(ln.account.number, ln.amount) for ln in self.cart.lines]
        tenders = list(self.cart.tenders)
        self.say("Posting…")
        DbOp(
            self,
            lambda: posting.post_transaction(
                self.ctx,
                session_id=session.id,
                user_id=user.id,
                payments=payments,
                tenders=tenders,
                idempotency_key=key,
            ),
        ).success(self._posted).failure(self.say).run_in_background()

    def _posted(self, result: posting.Posted) -> None:
        receipt = result.receipt
        self.last_receipt = receipt
        self.cart.lines.clear()
        self.cart.tenders.clear()
        self.pending_key = None
        self.panel.refresh()
        self.search.clear()
        self.results.clear()
        self.say(f"Posted receipt {receipt.number}")
        self.posted.emit(receipt)
        self.print_receipt(receipt)
        self.devices.open_drawer(self, lambda _r: None, self._drawer_failed)
        dialog = ChangeDueDialog(result.change, receipt, self)
        dialog.finished.connect(lambda _code: self.focus_search())
        self.dialog = dialog
        dialog.open()
        self.refresh_status()

    def print_receipt(self, receipt: Receipt) -> None:
        """Print after the commit; a failure leaves it unprinted for Reprint."""
        number = receipt.number

        def printed(_r: object) -> None:
            light(self.printer_status, "ok", "Printer ready")
            DbOp(self, lambda: receipts.mark_printed(self.ctx, number)).run_in_background()

        def failed(error: Exception) -> None:
            light(self.printer_status, "bad", f"Printer: {error} — fix it, then Reprint (F3)")
            DbOp(
                self, lambda: receipts.mark_print_failed(self.ctx, number, str(error))
            ).run_in_background()

        self.devices.print_receipt(self, receipt, printed, failed)

    def _drawer_failed(self, error: Exception) -> None:
        self.statusBar().showMessage(f"Drawer: {error}", 10_000)
        light(self.drawer_status, "bad", f"Drawer: {error}")

    def check_devices(self) -> None:
        """Refresh the printer and drawer lights (also on a timer)."""
        self.devices.printer_status(
            self,
            lambda st: light(self.printer_status, "ok", f"Printer {st.summary}"),
            lambda e: light(self.printer_status, "bad", f"Printer: {e}"),
        )
        self.devices.drawer_state(
            self,
            lambda is_open: light(
                self.drawer_status,
                "warn" if is_open else "ok",
                "Drawer " + {True: "OPEN", False: "closed", None: "no sensor"}[is_open],
            ),
            lambda e: light(self.drawer_status, "bad", f"Drawer: {e}"),
        )

    # --- the F12 menu -------------------------------------------------------------------
    def toggle_receipt(self) -> None:
        self.receipt_window.setVisible(not self.receipt_window.isVisible())

    def show_menu(self) -> None:
        self.menu.popup(self.mapToGlobal(self.rect().center()))

    def _open(self, dialog: QDialog, then: Callable[[], None]) -> None:
        dialog.accepted.connect(then)
        self.dialog = dialog
        dialog.open()

    def _with_override(
        self,
        action: OverrideAction,
        subject: str,
        description: str,
        then: Callable[[int], None],
    ) -> None:
        """Ask for a supervisor's approval of one named action, then run ``then(grant)``."""
        assert self.user is not None
        dialog = OverrideDialog(self.ctx, self.user.id, action, subject, description, self)
        self._open(dialog, lambda: then(dialog.grant.id) if dialog.grant else None)

    def _require_session(self) -> tuple[UserInfo, SessionInfo] | None:
        if self.user is None or self.session is None:
            self.say("Log in and open a drawer first")
            return None
        return self.user, self.session

    def ask_movement(self, kind: MovementKind) -> None:
        if (who := self._require_session()) is None:
            return
        user, session = who
        dialog = MovementDialog(kind, self)

        def record(grant: int | None = None) -> None:
            amount, reason = dialog.amount_value, dialog.reason_text
            DbOp(
                self,
                lambda: drawer.record_movement(
                    self.ctx, session.id, user.id, kind, amount, reason, override_id=grant
                ),
            ).success(self._movement_done).failure(self.say).run_in_background()

        def entered() -> None:
            amount = dialog.amount_value
            if kind is MovementKind.PAID_OUT and drawer.paid_out_needs_override(self.ctx, amount):
                subject = drawer.override_subject(kind, amount)
                self._with_override(OverrideAction.PAID_OUT, subject, subject, record)
            else:
                record()

        self._open(dialog, entered)

    def _movement_done(self, movement: Movement) -> None:
        self.say(f"{movement.kind.label} {movement.amount.format()} recorded: {movement.reason}")
        self.devices.open_drawer(self, lambda _r: None, self._drawer_failed)

    def _pick_receipt(
        self, title: str, reasons: list[str] | None, then: Callable[[ReceiptPickDialog], None]
    ) -> None:
        if (who := self._require_session()) is None:
            return
        sid = who[1].id

        def show(rows: list[ReceiptRow]) -> None:
            payments = (
                [r for r in rows if r.kind == "payment" and not r.voided] if reasons else rows
            )
            dialog = ReceiptPickDialog(title, payments, reasons, self)
            self._open(dialog, lambda: then(dialog))

        DbOp(self, lambda: receipts.session_receipts(self.ctx, sid)).success(show).failure(
            self.say
        ).run_in_background()

    def ask_void(self) -> None:
        def picked(dialog: ReceiptPickDialog) -> None:
            assert dialog.chosen is not None and self.user is not None
            row, user = dialog.chosen, self.user
            code, note = dialog.reason_code, dialog.note_text

            def void(grant: int) -> None:
                DbOp(
                    self,
                    lambda: voids.void_receipt(
                        self.ctx,
                        receipt_number=row.number,
                        user_id=user.id,
                        grant_id=grant,
                        reason_code=code,
                        note=note,
                    ),
                ).success(self._reversed).failure(self.say).run_in_background()

            self._with_override(
                OverrideAction.VOID,
                voids.void_subject(row.number),
                f"Void receipt {row.number}, {row.total.format()}",
                void,
            )

        self._pick_receipt("Void receipt", list(self.ctx.settings.policy.void_reasons), picked)

    def ask_reprint(self) -> None:
        def picked(dialog: ReceiptPickDialog) -> None:
            assert dialog.chosen is not None and self.user is not None
            number, uid = dialog.chosen.number, self.user.id
            DbOp(self, lambda: receipts.reprint(self.ctx, number, uid)).success(
                self._reprinted
            ).failure(self.say).run_in_background()

        self._pick_receipt("Reprint", None, picked)

    def _reprinted(self, receipt: Receipt) -> None:
        self.say(f"Reprinting {receipt.number}")
        self.print_receipt(receipt)

    def ask_returned_check(self) -> None:
        if (who := self._require_session()) is None:
            return
        user = who[0]
        dialog = ReturnedCheckDialog(self)

        def entered() -> None:
            number, check = dialog.receipt.text().strip(), dialog.check.text().strip()
            note = dialog.note.text().strip()

            def reverse(grant: int) -> None:
                DbOp(
                    self,
                    lambda: voids.reverse_returned_check(
                        self.ctx,
                        receipt_number=number,
                        check_number=check,
                        user_id=user.id,
                        grant_id=grant,
                        note=note,
                    ),
                ).success(self._reversed).failure(self.say).run_in_background()

            self._with_override(
                OverrideAction.NSF_REVERSAL,
                voids.nsf_subject(number, check),
                f"Returned check #{check} on receipt {number.upper()}",
                reverse,
            )

        self._open(dialog, entered)

    def lock(self) -> None:
        """Hide the counter until the same cashier enters their password again."""
        if self.user is None:
            return
        self.centralWidget().hide()
        dialog = LoginDialog(self.ctx, self)
        dialog.username.setText(self.user.username)
        dialog.username.setReadOnly(True)
        dialog.setWindowTitle(f"Counter locked — {self.user.full_name}")

        def unlocked() -> None:
            self.centralWidget().show()
            self.focus_search()

        self._open(dialog, unlocked)
        dialog.password.setFocus()

    def _reversed(self, result: posting.Posted) -> None:
        slip = result.receipt
        self.last_receipt = slip
        self.say(f"{slip.heading} {slip.original_number} recorded as {slip.number}")
        self.posted.emit(slip)
        self.print_receipt(slip)
        self.refresh_status()

    def refresh_status(self) -> None:
        if self.session is None:
            return
        sid = self.session.id
        DbOp(self, lambda: drawer.session_totals(self.ctx, sid)).success(
            lambda t: self.today.setText(f"Today: {t.receipts} receipts · {t.collected.format()}")
        ).failure(self.say).run_in_background()
