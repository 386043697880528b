"""The counter screen: find an account, build the transaction, take tenders, complete.

Keyboard first: every key is defined once in ``keymap.KEYS`` (actions, shortcuts, F12 menu,
hint line and the F1 key map come from it). All database work runs off the GUI thread
(``DbOp``); printing and the drawer run on their device threads, after the commit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QFontDatabase, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
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
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import Receipt, TenderKind
from counter_app.domain.sessions import SessionInfo
from counter_app.domain.users import UserInfo
from counter_app.services import lookup, posting, sessions
from counter_app.services.context import Context
from counter_app.services.lookup import SearchResult
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.device_mixin import DEVICE_POLL_MS, DeviceMixin
from counter_app.ui.devices import Devices
from counter_app.ui.keymap import KEYS, Where, key_map_html
from counter_app.ui.login_dialog import LockDialog
from counter_app.ui.menu_mixin import MenuActionsMixin
from counter_app.ui.ops import DB_HEALTH, DbOp
from counter_app.ui.receipt_window import ReceiptWindow
from counter_app.ui.status_lights import StatusLight, short
from counter_app.ui.tender_dialog import TenderDialog
from counter_app.ui.transaction_panel import TransactionPanel
from counter_app.ui.widgets import InfoDialog, badge_html
from drivers.errors import DrawerStillOpen

NO_ACCOUNT = "Find an account to see its balance."
CLOSE_DRAWER_FIRST = "Close the cash drawer first: the next transaction waits for it"


class MainWindow(DeviceMixin, MenuActionsMixin, QMainWindow):
    """Counter's one main window for a logged-in cashier with an open session."""

    posted = Signal(object)  # the Receipt, after the commit
    logged_out = Signal()  # Ctrl+Q: back to the login window
    closed = Signal()  # the window was closed without logging out: the program ends

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
        self.receipt_window = ReceiptWindow(self.devices.preview)
        self.posted.connect(self.receipt_window.show_receipt)
        self.cart = Cart()
        self.pending_key: str | None = None  # kept only for a retry of the same cart
        self._cart_seen: object = self._fingerprint()
        self.scan_amount: Money | None = None
        self.last_receipt: Receipt | None = None
        self.dialog: QWidget | None = None  # the dialog currently open, if any
        self.drawer_retry: str | None = None  # what the drawer failed to open for
        self.locked = False
        self.leaving = False
        self.completing = False  # a Complete is under way: a second Enter waits for it
        self.setWindowTitle(f"Counter — {self.who_text()}")
        self.resize(1366, 768)
        self._build()
        self._keys()
        DB_HEALTH.changed.connect(self._db_health)
        self.refresh_status()
        self.check_devices()
        self.device_timer = QTimer(self)
        self.device_timer.timeout.connect(self.check_devices)
        self.device_timer.start(DEVICE_POLL_MS)

    def who_text(self) -> str:
        """Station, cashier, session and since when: "Station W02 · Maria Lopez (cashier) ·
        Session #418 open since 08:02"."""
        text = f"Station {self.ctx.station}"
        if self.user and self.session:
            opened = self.session.opened_at.astimezone(self.ctx.settings.zone)
            text += (
                f" · {self.user.full_name} ({self.user.role.value}) · Session "
                f"#{self.session.id} open since {opened:%H:%M}"
            )
        return text

    # --- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Account number, name, address, meter, phone — or scan a bill stub any time"
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
        self.detail = QLabel(NO_ACCOUNT)
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
        self.panel.changed.connect(self._cart_changed)
        self.panel.amount_entered.connect(self.focus_search)
        self.panel.tenders.setFont(fixed)

        find_row = QHBoxLayout()
        label = QLabel("[F2] Find:")
        label.setBuddy(self.search)
        find_row.addWidget(label)
        find_row.addWidget(self.search, 1)
        results_box = QVBoxLayout()
        results_box.setContentsMargins(0, 0, 0, 0)
        results_box.addWidget(QLabel("RESULTS (↑↓, Enter adds)"))
        results_box.addWidget(self.results, 1)
        results_pane = QWidget()
        results_pane.setLayout(results_box)
        top = QSplitter()
        top.addWidget(results_pane)
        top.addWidget(self.detail)
        top.setSizes([700, 660])
        self.who = QLabel(self.who_text())
        self.who.setObjectName("who")
        self.who.setAccessibleName("Station, cashier and session")
        self.today = QLabel("")
        self.today.setObjectName("who")
        self.today.setAccessibleName("Session totals")
        header = QHBoxLayout()
        header.addWidget(self.who)
        header.addStretch(1)
        header.addWidget(self.today)
        body = QVBoxLayout()
        body.addLayout(header)
        body.addLayout(find_row)
        body.addWidget(self.message)
        body.addWidget(top, 3)
        body.addWidget(self.panel, 4)
        central = QWidget()
        central.setLayout(body)
        self.setCentralWidget(central)

        self.db_status = StatusLight("Database")
        self.printer_status = StatusLight("Printer")
        self.drawer_status = StatusLight("Drawer")
        for light in (self.db_status, self.printer_status, self.drawer_status):
            light.clicked.connect(lambda light=light: self.show_detail(light.detail))
            self.statusBar().addWidget(light)
        hint = QLabel("Click a light (or Ctrl+S) for the detail and the fix · F12 Menu")
        hint.setObjectName("hints")
        self.statusBar().addPermanentWidget(hint)
        self.search.setFocus()

    def _keys(self) -> None:
        """Actions, shortcuts and the F12 menu, all from ``KEYS``."""
        self.menu = QMenu("Menu", self)
        for binding in KEYS:
            action = QAction(binding.text, self)
            action.setShortcut(QKeySequence(binding.key))
            action.triggered.connect(lambda _c=False, slot=binding.slot: getattr(self, slot)())
            if binding.where is Where.TRANSACTION:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.panel.addAction(action)
            else:
                self.addAction(action)
            if binding.where is Where.MENU:
                self.menu.addAction(action)

    @property
    def key_actions(self) -> list[QAction]:
        """Every action with a key, wherever it is attached."""
        return [a for a in (*self.actions(), *self.panel.actions()) if not a.shortcut().isEmpty()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↓ in Find moves to the results, Tab to the amount of the last account; Enter in
        the results adds the account; digits typed in the results go to Find (a stub scanned
        while the results have focus)."""
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if watched is self.search:
            if key == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus()
                return True
            if key == Qt.Key.Key_Tab and self.cart.lines:
                self.panel.edit_amount(len(self.cart.lines) - 1)
                return True
        if watched is self.results:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.add_selected_account()
                return True
            if event.text().isdigit():
                self.search.clear()
                self.search.setFocus()
                self.search.insert(event.text())
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

    def _show_box(self, title: str, html: str, width: int = 520) -> InfoDialog:
        box = InfoDialog(title, html, width, self)
        box.finished.connect(lambda _r: self.focus_search())
        self.dialog = box
        box.open()
        return box

    def show_keys(self) -> None:
        self._show_box("Keys", key_map_html(), 860)

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
            flag = "" if hit.status.value == "active" else hit.status.label.split()[0]
            item = QListWidgetItem(
                f"{hit.number}  {hit.customer_name:<18.18}  {hit.service_address:<16.16}  "
                f"{hit.balance.format():>10}  {flag}"
            )
            item.setToolTip(f"{hit.customer_name} · {hit.service_address} · {hit.status.label}")
            item.setData(Qt.ItemDataRole.UserRole, hit.number)
            self.results.addItem(item)
        scan = result.scan
        self.scan_amount = scan.amount_due if scan else None
        if scan:
            stub = scan.amount_due.format()
            now = next((h.balance for h in result.hits if h.number == scan.account_number), None)
            amounts = (
                f"stub {stub} / balance now {now.format()}"
                if now is not None and now != scan.amount_due
                else f"amount due {stub}"
            )
            self.say(
                f"Stub scanned: account {scan.account_number}, {amounts} — press Enter to add "
                f"it at {stub} (Tab then edits the amount)"
            )
        else:
            self.say(
                f"{len(result.hits)} found — ↓ and Enter adds" if result.hits else "Nothing found"
            )
        if result.hits:
            self.results.setCurrentRow(0)
            if scan:
                self.results.setFocus()

    def _show_selected(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is None:
            return
        number = item.data(Qt.ItemDataRole.UserRole)

        def show(summary: AccountSummary) -> None:
            current = self.results.currentItem()  # the cashier may have moved on meanwhile
            if current is not None and current.data(Qt.ItemDataRole.UserRole) == number:
                self._show_account(summary)

        DbOp(self, lambda: lookup.get_account(self.ctx, number)).success(show).failure(
            self.say
        ).run_in_background()

    def _show_account(self, a: AccountSummary) -> None:
        aging = a.aging
        zone = self.ctx.settings.zone
        badges = "".join(f"<p>{badge_html(b)}</p>" for b in a.badges())
        bill = ""
        if a.last_bill_date:
            on_bill = total(c.open for c in a.open_charges if c.bill_date == a.last_bill_date)
            due = f" · due {a.due_date:%m/%d/%Y}" if a.due_date else ""
            bill = f"<p>Last bill {a.last_bill_date:%m/%d/%Y} · {on_bill.format()} open{due}</p>"
        last = "<br>".join(
            f"Last paid {p.paid_at.astimezone(zone):%m/%d} {p.amount.format()} {p.tenders} "
            f"#{p.receipt_number}{' (VOID)' if p.voided else ''}"
            for p in a.last_payments
        )
        self.detail.setText(
            f"<h2>ACCOUNT {a.number} · {a.status.label}</h2>"
            f"<p>{a.customer_name} · {a.service_address} · meter {a.meter_number}</p>"
            f"<p style='font-size:18pt'><b>Balance {a.balance.format()}</b></p>{bill}"
            f"<p>Aging: current {aging.current} · 31–60 {aging.days_31_60} · "
            f"61–90 {aging.days_61_90} · 90+ {aging.days_over_90}</p>"
            f"<p>Deposit {a.deposit.format()} held · Credit {a.credit.format()}</p>"
            f"{badges}<p>{last or 'No counter payments yet'}</p>"
        )

    # --- building the transaction -------------------------------------------------------
    def _fingerprint(self) -> object:
        return (
            tuple((ln.account.number, ln.amount) for ln in self.cart.lines),
            tuple(self.cart.tenders),
        )

    def _cart_changed(self) -> None:
        """Any change to the cart makes it a new submission: a new idempotency key."""
        seen = self._fingerprint()
        if seen != self._cart_seen:
            self._cart_seen = seen
            self.pending_key = None

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
            "F5–F8 to take payment, Tab to change the amount, or find another account"
        )
        self.search.clear()
        self.focus_search()

    def pay_to_keep_service(self) -> None:
        self.panel.pay_to_keep_service()

    def remove_selected(self) -> None:
        self.panel.remove_selected()

    def tender_cash(self) -> None:
        self.ask_tender(TenderKind.CASH)

    def tender_check(self) -> None:
        self.ask_tender(TenderKind.CHECK)

    def tender_money_order(self) -> None:
        self.ask_tender(TenderKind.MONEY_ORDER)

    def tender_card(self) -> None:
        self.ask_tender(TenderKind.CARD)

    def ask_tender(self, kind: TenderKind) -> None:
        if not self.cart.lines:
            self.say("Add an account first: find it and press Enter")
            return
        if kind is TenderKind.CHECK:
            flagged = [
                ln.account.number for ln in self.cart.lines if ln.account.checks_not_accepted
            ]
            if flagged:
                self.say(
                    f"Cash or certified funds only: account {', '.join(flagged)} does not "
                    "accept checks"
                )
                return
        suggested = self.cart.remaining or Money(0)
        accounts = [ln.account for ln in self.cart.lines]
        dialog = TenderDialog(kind, suggested, self, accounts)
        dialog.accepted.connect(lambda: self._tender_entered(dialog))
        dialog.rejected.connect(self.focus_search)
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

    def _clear_cart(self) -> None:
        self.cart.lines.clear()
        self.cart.tenders.clear()
        self.panel.refresh()
        self.search.clear()
        self.results.clear()
        self.detail.setText(NO_ACCOUNT)  # a posted balance shown here would be stale

    def clear(self) -> None:
        """Esc: clear what is not posted; with tenders entered, Esc twice."""
        if self.cart.tenders and self.message.property("confirm_clear") is not True:
            self.say("Tenders are entered: press Esc again to clear this transaction")
            self.message.setProperty("confirm_clear", True)
            return
        self.message.setProperty("confirm_clear", False)
        self._clear_cart()
        self.say("Cleared")
        self.focus_search()

    # --- completing ---------------------------------------------------------------------
    def complete(self) -> None:
        """Enter on an empty Find / F9: check the drawer is closed (if required), post,
        print, open the drawer, show the change."""
        if (who := self._require_session()) is None:
            return
        if not self.cart.ready:
            self.say(
                f"Still due {self.cart.remaining.format()}"
                if self.cart.lines
                else "Add an account first"
            )
            return
        if self.completing:
            self.say("Posting… wait for the receipt")
            return
        self.completing = True
        self.say("Checking the drawer…")
        self.devices.require_drawer_closed(
            self,
            lambda _r: self._post(*who),
            self._drawer_not_closed,
        )

    def _drawer_not_closed(self, error: Exception) -> None:
        if isinstance(error, DrawerStillOpen):
            self.completing = False
            self.drawer_status.set("warn", "Drawer OPEN", CLOSE_DRAWER_FIRST)
            self.say(CLOSE_DRAWER_FIRST)
            return
        self.drawer_status.set("bad", short(str(error)), str(error))  # cannot tell: post
        if (who := self._require_session()) is not None:
            self._post(*who)
        else:
            self.completing = False

    def _post(self, user: UserInfo, session: SessionInfo) -> None:
        if not self.cart.ready:
            self.completing = False
            return
        self.pending_key = self.pending_key or posting.new_idempotency_key()
        key = self.pending_key
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
        ).success(self._posted).failure(self._not_posted).run_in_background()

    def _not_posted(self, error: Exception) -> None:
        self.completing = False
        self.say(error)

    def _posted(self, result: posting.Posted) -> None:
        self.completing = False
        receipt = result.receipt
        self.last_receipt = receipt
        self._clear_cart()
        self.say(f"Posted receipt {receipt.number}")
        self.posted.emit(receipt)
        self.print_receipt(receipt)
        dialog = ChangeDueDialog(result.change, receipt, self)
        dialog.finished.connect(lambda _code: self.focus_search())
        dialog.retry_drawer.connect(self.open_drawer_again)
        self.dialog = dialog
        dialog.open()
        self.open_drawer(f"receipt {receipt.number}")
        self.refresh_status()

    # --- lock and log out ---------------------------------------------------------------
    def _set_keys_enabled(self, enabled: bool) -> None:
        for action in self.key_actions:
            action.setEnabled(enabled)

    def lock(self) -> None:
        """Hide the counter until the same cashier enters their password again; while
        locked no key works (the lock cannot be dismissed)."""
        if self.user is None or self.locked:
            return
        self.locked = True
        self._set_keys_enabled(False)
        self.centralWidget().hide()
        self.receipt_window.hide()
        dialog = LockDialog(self.ctx, self.user, self)

        def unlocked() -> None:
            if self.user is None or dialog.user is None or dialog.user.id != self.user.id:
                return
            self.locked = False
            self._set_keys_enabled(True)
            self.centralWidget().show()
            self.focus_search()

        dialog.accepted.connect(unlocked)
        self.dialog = dialog
        dialog.open()
        dialog.password.setFocus()

    def log_out(self) -> None:
        """Ctrl+Q: back to the login window; an unposted transaction is cleared only after
        the cashier confirms."""
        if self.cart.is_empty:
            self._leave()
            return
        what = "Tenders are entered" if self.cart.tenders else "A transaction is being built"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Log out",
            f"{what} and not posted. Clear it and log out?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(
            lambda answer: (
                self._leave() if answer == QMessageBox.StandardButton.Yes else self.focus_search()
            )
        )
        self.dialog = box
        box.open()

    def _leave(self) -> None:
        self._clear_cart()
        self.leaving = True
        self.device_timer.stop()
        self.receipt_window.close()
        self.logged_out.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window never drops an unposted transaction silently."""
        if not self.leaving and (self.locked or not self.cart.is_empty):
            event.ignore()
            self.say("Finish or clear (Esc) the transaction first, or log out with Ctrl+Q")
            return
        self.device_timer.stop()
        self.receipt_window.close()
        event.accept()
        if not self.leaving:
            self.closed.emit()

    def refresh_status(self) -> None:
        if self.session is None:
            return
        sid = self.session.id
        DbOp(self, lambda: sessions.session_totals(self.ctx, sid)).success(
            lambda t: self.today.setText(f"Today: {t.receipts} receipts · {t.collected.format()}")
        ).failure(self.say).run_in_background()
