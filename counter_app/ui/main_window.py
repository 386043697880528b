"""The counter screen: it assembles the widgets (header, search pane, transaction panel,
lights) and the controllers (lookup, checkout, devices, back office, close, end of day) and
binds every key of ``keymap.KEYS`` to the controller method that carries it out (the keys
of the close wizard, the end-of-day screen and a report's preview go on those windows).
Locking and logging out are the window's own."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFontDatabase, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QMessageBox, QVBoxLayout, QWidget

from counter_app.domain.cart import Cart
from counter_app.domain.receipt import Receipt, TenderKind
from counter_app.domain.sessions import MovementKind, SessionInfo
from counter_app.domain.users import UserInfo
from counter_app.services import sessions
from counter_app.services.context import Context
from counter_app.ui.controllers.back_office import BackOfficeController
from counter_app.ui.controllers.checkout import CheckoutController
from counter_app.ui.controllers.closeout import CloseoutController
from counter_app.ui.controllers.common import DialogSlot, Staff
from counter_app.ui.controllers.devices import DeviceController
from counter_app.ui.controllers.end_of_day import EndOfDayController
from counter_app.ui.controllers.lookup import LookupController
from counter_app.ui.controllers.reports import ReportPreviews
from counter_app.ui.db_watch import DatabaseWatch
from counter_app.ui.devices import Devices
from counter_app.ui.keymap import DIALOG_KEYS, KEY_MAP_WIDTH, KEYS, Command, Where, key_map_html
from counter_app.ui.login_dialog import LockDialog
from counter_app.ui.operations import ReadOp
from counter_app.ui.receipt_window import ReceiptWindow
from counter_app.ui.widgets.common import InfoDialog
from counter_app.ui.widgets.header import Header, who_text
from counter_app.ui.widgets.outcome_banner import OutcomeBanner
from counter_app.ui.widgets.search_pane import SearchPane
from counter_app.ui.widgets.status_lights import Lights
from counter_app.ui.widgets.transaction_panel import TransactionPanel


class MainWindow(QMainWindow):
    """Counter's one main window for a logged-in cashier with an open session."""

    posted = Signal(object)  # a Receipt or slip, after its commit
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
        staff = Staff(user, session)
        self.last_receipt: Receipt | None = None
        self.locked = False
        self.leaving = False
        self.setWindowTitle(f"Counter — {who_text(ctx, user, session)}")
        self.resize(1366, 768)

        # --- widgets ----------------------------------------------------------------------
        self.central = QWidget()  # hidden while the screen is locked
        self.header = Header(ctx, user, session)
        self.panel = TransactionPanel(Cart())
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSize(11)
        self.panel.tenders.setFont(fixed)
        self.pane = SearchPane(ctx.settings.zone, lambda: self.checkout.tab_to_amount())
        self.lights = Lights(ctx.db.dialect, self)
        self.outcome_banner = OutcomeBanner()
        self.db_watch = DatabaseWatch(ctx, self)

        # --- controllers ------------------------------------------------------------------
        station = devices or Devices(None, None)
        self.receipt_window = ReceiptWindow(station.preview)
        self.devices = DeviceController(ctx, station, self.lights, self.pane, self)
        self.checkout = CheckoutController(
            ctx, staff, self.pane, self.panel, self.devices, self, self.outcome_banner
        )
        self.lookup = LookupController(ctx, self.pane, self.checkout.add_found, self)
        self.back_office = BackOfficeController(ctx, staff, self.pane, self.devices, self)
        self.previews = ReportPreviews(ctx, self.focus_search, self)
        self.closeout = CloseoutController(ctx, staff, self.pane, self.devices, self.previews, self)
        self.end_of_day = EndOfDayController(ctx, staff, self.pane, self.previews, self)
        self.closeout.drawer_closed.connect(self._leave)  # a closed drawer takes nothing
        self.boxes = DialogSlot(self.focus_search, self)  # keys, status, lock, log out
        self.lookup.blank_enter.connect(self.checkout.complete_if_ready)
        for source in (self.checkout, self.back_office):
            source.posted.connect(self.posted)
        self.posted.connect(self._remember)
        self.posted.connect(self.receipt_window.show_receipt)
        self.devices.printed.connect(self.receipt_window.show_printed)
        self.lights.clicked.connect(self.show_detail)

        # what the tests and the parts reach by name
        self.search, self.results, self.message = (
            self.pane.search,
            self.pane.results,
            self.pane.message,
        )
        self.detail, self.cart, self.who = self.pane.detail, self.panel.cart, self.header.who
        self.db_status, self.printer_status, self.drawer_status = self.lights.all
        self._build()
        self._bind_keys()

    def _build(self) -> None:
        body = QVBoxLayout()
        body.addWidget(self.header)
        body.addWidget(self.pane, 3)  # the account in full; a transaction has few lines
        body.addWidget(self.outcome_banner)
        body.addWidget(self.panel, 2)
        self.central.setLayout(body)
        self.setCentralWidget(self.central)
        for light in self.lights.all:
            self.statusBar().addWidget(light)
        hint = QLabel("A light or Ctrl+S: detail and fix · F12 Menu")
        hint.setObjectName("hints")
        self.statusBar().addPermanentWidget(hint)
        self.search.setFocus()

    def _handlers(self) -> dict[Command, Callable[[], None]]:
        """Every command of ``KEYS``, bound to the method that carries it out."""
        checkout, office, devices = self.checkout, self.back_office, self.devices
        return {
            Command.SHOW_KEYS: self.show_keys,
            Command.FIND: self.focus_search,
            Command.CASH: partial(checkout.ask_tender, TenderKind.CASH),
            Command.CHECK: partial(checkout.ask_tender, TenderKind.CHECK),
            Command.MONEY_ORDER: partial(checkout.ask_tender, TenderKind.MONEY_ORDER),
            Command.CARD: partial(checkout.ask_tender, TenderKind.CARD),
            Command.COMPLETE: checkout.complete,
            Command.KEEP_SERVICE: checkout.pay_to_keep_service,
            Command.STUB_AMOUNT: checkout.pay_stub,
            Command.CLEAR: checkout.clear,
            Command.REMOVE: checkout.remove_selected,
            Command.MENU: self.show_menu,
            Command.PAID_IN: partial(office.ask_movement, MovementKind.PAID_IN),
            Command.PAID_OUT: partial(office.ask_movement, MovementKind.PAID_OUT),
            Command.DROP: partial(office.ask_movement, MovementKind.DROP),
            Command.NO_SALE: partial(office.ask_movement, MovementKind.NO_SALE),
            Command.DRAWER_AGAIN: devices.open_drawer_again,
            Command.REPRINT: office.ask_reprint,
            Command.VOID: office.ask_void,
            Command.RETURNED_CHECK: office.ask_returned_check,
            Command.REFUND: office.ask_refund,
            Command.LAST_RECEIPT: self.toggle_receipt,
            Command.HISTORY: self.lookup.show_history,
            Command.STATUS: self.show_status,
            Command.LOCK: self.lock,
            Command.LOG_OUT: self.log_out,
            Command.CLOSE_DRAWER: self.closeout.start,
            Command.END_OF_DAY: self.end_of_day.start,
            Command.RECOUNT: self.closeout.recount,
            Command.SUPERVISOR_APPROVAL: self.closeout.ask_approval,
            Command.APPROVE_SESSION: self.end_of_day.approve,
            Command.REOPEN_SESSION: self.end_of_day.reopen,
            Command.CLOSE_BATCH: self.end_of_day.close_batch,
            Command.BUILD_DEPOSIT: self.end_of_day.build_deposit,
            Command.DRAWER_REPORT: self.end_of_day.drawer_report,
            Command.DAILY_REPORT: self.end_of_day.daily_report,
            Command.DEPOSIT_REPORT: self.end_of_day.deposit_report,
            Command.PAYMENTS_REPORT: self.end_of_day.payments_report,
            Command.CHECKS_REPORT: self.end_of_day.checks_report,
            Command.EXPORT_PAYMENTS: self.end_of_day.export_payments,
            Command.EARLIER_DAY: self.end_of_day.earlier_day,
            Command.LATER_DAY: self.end_of_day.later_day,
            Command.PRINT_REPORT: self.previews.print_current,
        }

    def _bind_keys(self) -> None:
        """Actions, shortcuts and the F12 menu, all from ``KEYS``; the keys of the other
        windows go to the controller that opens them, which puts them on each one."""
        handlers = self._handlers()
        self.menu = QMenu("Menu", self)
        elsewhere = {
            Where.CLOSE: self.closeout.keys,
            Where.END_OF_DAY: self.end_of_day.keys,
            Where.PREVIEW: self.previews.keys,
        }
        assert set(elsewhere) == DIALOG_KEYS
        self.dialog_actions: list[QAction] = []
        for binding in KEYS:
            action = QAction(binding.text, self)
            action.setShortcut(QKeySequence(binding.key))
            run = handlers[binding.command]
            action.triggered.connect(lambda _checked=False, run=run: run())
            if binding.where in elsewhere:
                elsewhere[binding.where].append(action)
                self.dialog_actions.append(action)
            elif binding.where is Where.TRANSACTION:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.panel.addAction(action)
            else:
                self.addAction(action)
            if binding.where is Where.MENU:
                self.menu.addAction(action)

    @property
    def key_actions(self) -> list[QAction]:
        """Every action with a key, wherever it is attached (the other windows' too)."""
        attached = (*self.actions(), *self.panel.actions(), *self.dialog_actions)
        return [a for a in attached if not a.shortcut().isEmpty()]

    @property
    def dialog(self) -> QDialog | None:
        """The dialog open on this window, if any (the override above the form it is for)."""
        open_now = (
            self.boxes.current,
            *self.end_of_day.dialogs,  # the preview, a form over the screen, the screen
            *self.closeout.dialogs,
            self.lookup.history_box.current,
            *self.back_office.dialogs,
            self.checkout.change_due.current,
            self.checkout.tender_dialog.current,
        )
        return next((d for d in open_now if d is not None), None)

    # --- the window's own ---------------------------------------------------------------
    def say(self, text: str | Exception) -> None:
        self.pane.say(text)

    def focus_search(self) -> None:
        self.pane.focus()

    def _remember(self, receipt: Receipt) -> None:
        self.last_receipt = receipt

    def _show_box(self, title: str, html: str, width: int = 520) -> None:
        self.boxes.open(InfoDialog(title, html, width, self))

    def show_notice(self, title: str, text: str) -> None:
        """Plain ``text`` to read before work goes on (Enter or Esc closes it)."""
        self._show_box(title, html.escape(text, quote=False))

    def show_keys(self) -> None:
        self._show_box("Keys", key_map_html(), KEY_MAP_WIDTH)

    def show_detail(self, detail: str) -> None:
        """What a status light means and what to do about it."""
        self._show_box("Status", detail)

    def show_status(self) -> None:
        self._show_box("Status", "<br><br>".join(f"● {light.detail}" for light in self.lights.all))

    def show_menu(self) -> None:
        self.menu.popup(self.mapToGlobal(self.rect().center()))

    def toggle_receipt(self) -> None:
        if self.receipt_window.isVisible():
            self.receipt_window.hide()
        else:
            self.receipt_window.show_over(self)

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
        self.central.hide()
        self.receipt_window.hide()
        dialog = LockDialog(self.ctx, self.user, self)

        def unlocked() -> None:
            if self.user is None or dialog.user is None or dialog.user.id != self.user.id:
                return
            self.locked = False
            self._set_keys_enabled(True)
            self.central.show()
            self.focus_search()

        self.boxes.open(dialog, unlocked)
        dialog.password.setFocus()

    def log_out(self) -> None:
        """Ctrl+Q: back to the login window; an unposted transaction is cleared only after
        the cashier confirms; one whose outcome is in question, not at all. With the drawer
        still open it asks whether to close it first."""
        if self.checkout.outcome.submission is not None:
            self.say(self.checkout.outcome.refusal(completing=False))
            return
        if self.cart.is_empty:
            self._close_drawer_or_leave()
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
                self._cleared_then_leave()
                if answer == QMessageBox.StandardButton.Yes
                else self.focus_search()
            )
        )
        self.boxes.open(box, lambda: None, lambda: None)

    def _cleared_then_leave(self) -> None:
        self.checkout.clear_cart()
        self._close_drawer_or_leave()

    def _close_drawer_or_leave(self) -> None:
        """Log out, unless the user's drawer here is still open: then ask first (the
        database away, log out all the same: the drawer stays as it is)."""
        if self.user is None or self.session is None:
            self._leave()
            return
        uid = self.user.id
        ReadOp(self, lambda: sessions.current_session(self.ctx, uid)).success(
            self._ask_close_drawer
        ).failure(lambda _e: self._leave()).run_in_background()

    def _ask_close_drawer(self, still_open: SessionInfo | None) -> None:
        if still_open is None:
            self._leave()
            return
        buttons = QMessageBox.StandardButton
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Log out",
            f"Your drawer (session #{still_open.id}) is still open. Close it now: count it "
            "and balance it?",
            buttons.Yes | buttons.No | buttons.Cancel,
            self,
        )
        box.button(buttons.Yes).setText("&Close the drawer…")
        box.button(buttons.No).setText("&Log out, drawer stays open")
        box.button(buttons.Cancel).setText("Stay (Esc)")
        box.setDefaultButton(buttons.Yes)

        def answered(answer: int) -> None:
            if answer == buttons.Yes:
                self.closeout.start(cancelled=self.focus_search)
            elif answer == buttons.No:
                self._leave()
            else:
                self.focus_search()

        box.finished.connect(answered)
        self.boxes.open(box, lambda: None, lambda: None)

    def _shut_down(self) -> None:
        self.devices.stop()
        self.receipt_window.close()

    def _leave(self) -> None:
        self.checkout.clear_cart()
        self.leaving = True
        self._shut_down()
        self.logged_out.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window never drops an unposted transaction silently."""
        if not self.leaving and (self.locked or not self.cart.is_empty):
            event.ignore()
            self.say("Finish or clear (Esc) the transaction first, or log out with Ctrl+Q")
            return
        self._shut_down()
        event.accept()
        if not self.leaving:
            self.closed.emit()
