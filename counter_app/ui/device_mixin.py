"""The printer, the drawer and the status lights of the counter screen (a part of
``MainWindow``): print after the commit, pop the drawer and let Ctrl+K retry it, close the
change-due screen when the drawer sensor reports it closed, and keep the Database, Printer
and Drawer lights (with the detail and the fix behind each) up to date."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from counter_app.domain.errors import StorageUnavailable
from counter_app.domain.receipt import Receipt
from counter_app.printing.interfaces import PrinterStatus
from counter_app.services import receipts
from counter_app.services.context import Context
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.devices import Devices
from counter_app.ui.ops import DbOp
from counter_app.ui.receipt_window import ReceiptWindow
from counter_app.ui.status_lights import StatusLight, short
from counter_app.ui.widgets import InfoDialog
from drivers.errors import PrinterError

DEVICE_POLL_MS = 15_000
DRAWER_WATCH_MS = 250  # how often the change-due screen looks at the drawer sensor


class DeviceMixin:
    """Printer, drawer and status lights; mixed into ``MainWindow`` (a ``QWidget``)."""

    ctx: Context
    devices: Devices
    dialog: QWidget | None
    drawer_retry: str | None
    db_status: StatusLight
    printer_status: StatusLight
    drawer_status: StatusLight
    receipt_window: ReceiptWindow
    say: Callable[[str | Exception], None]
    _show_box: Callable[[str, str], InfoDialog]

    def print_receipt(self, receipt: Receipt) -> None:
        """Print after the commit; a failure leaves it unprinted for Reprint (F3)."""
        number = receipt.number

        def printed(_r: object) -> None:
            self.printer_status.set("ok", "Printer ready", f"Printer: printed receipt {number}")
            self.receipt_window.show_printed(number)
            DbOp(self, lambda: receipts.mark_printed(self.ctx, number)).run_in_background()

        def failed(error: Exception) -> None:
            detail = f"{error} — receipt {number} is posted and waits for Reprint (F3)"
            self.printer_status.set("bad", short(str(error)), detail)
            self.say(f"Receipt {number} did not print: {error}")
            partly = isinstance(error, PrinterError) and error.may_have_printed
            DbOp(
                self,
                lambda: receipts.mark_print_failed(
                    self.ctx, number, str(error), may_have_printed=partly
                ),
            ).run_in_background()

        self.devices.print_receipt(self, receipt, printed, failed)

    # --- the drawer ---------------------------------------------------------------------
    def open_drawer(self, purpose: str, *, reconnect: bool = False) -> None:
        """Pop the drawer for ``purpose``; if it fails, Ctrl+K tries again."""
        self.drawer_retry = purpose
        self.devices.open_drawer(
            self, lambda _r: self._drawer_opened(), self._drawer_failed, reconnect=reconnect
        )

    def open_drawer_again(self) -> None:
        """Ctrl+K: reconnect and open the drawer for what it failed to open for (no new
        cash movement is recorded)."""
        if self.drawer_retry is None:
            self.say("The drawer has not failed to open; to open it without a sale: Ctrl+N")
            return
        self.say(f"Opening the drawer again for {self.drawer_retry}…")
        self.open_drawer(self.drawer_retry, reconnect=True)

    def _change_due(self) -> ChangeDueDialog | None:
        dialog = self.dialog
        if isinstance(dialog, ChangeDueDialog) and dialog.isVisible():
            return dialog
        return None

    def _drawer_opened(self) -> None:
        self.drawer_retry = None
        self.drawer_status.set("warn", "Drawer OPEN", "Drawer: open")
        if (dialog := self._change_due()) is not None:
            dialog.drawer_opened()
            self._watch_drawer(dialog)

    def _drawer_failed(self, error: Exception) -> None:
        detail = f"{error} — press Ctrl+K to open it again (the transaction stays posted)"
        self.drawer_status.set("bad", short(str(error)), detail)
        self.say(f"Drawer: {error} — Ctrl+K opens it again")
        if (dialog := self._change_due()) is not None:
            dialog.drawer_failed(error)

    def _watch_drawer(self, dialog: ChangeDueDialog) -> None:
        """Close the change-due screen when the drawer sensor reports the drawer closed."""

        def look() -> None:
            if dialog.isVisible():
                self.devices.drawer_state(self, seen, lambda _e: None)

        def seen(is_open: bool | None) -> None:
            self._show_drawer_state(is_open)
            if is_open is None or not dialog.isVisible():
                return  # no sensor: Enter closes it
            if is_open:
                QTimer.singleShot(DRAWER_WATCH_MS, look)
            else:
                dialog.accept()

        look()

    def _show_drawer_state(self, is_open: bool | None) -> None:
        if is_open is None:
            self.drawer_status.set("ok", "Drawer (no sensor)", "Drawer: it has no sensor")
        elif is_open:
            self.drawer_status.set("warn", "Drawer OPEN", "Drawer: open — close it after the sale")
        else:
            self.drawer_status.set("ok", "Drawer closed", "Drawer: closed")

    def check_devices(self) -> None:
        """Refresh the printer and drawer lights (also on a timer)."""
        self.devices.printer_status(self, self._show_printer_status, self._printer_failed)
        self.devices.drawer_state(
            self,
            self._show_drawer_state,
            lambda e: self.drawer_status.set("bad", short(f"Drawer: {e}"), f"Drawer: {e}"),
        )

    def _show_printer_status(self, status: PrinterStatus) -> None:
        summary = status.summary
        if not status.known:
            self.printer_status.set(
                "warn",
                "Printer unknown",
                "Printer: status unknown — it did not answer the status query; check it is on "
                "and connected (counter-app printer test)",
            )
        elif "near end" in summary:
            self.printer_status.set(
                "warn", "Printer: paper low", f"Printer {summary} — have a new roll ready"
            )
        else:
            self.printer_status.set("ok", "Printer ready", f"Printer: {summary}")

    def _printer_failed(self, error: Exception) -> None:
        text = str(error) if str(error).startswith("Printer") else f"Printer: {error}"
        self.printer_status.set("bad", short(text), text)

    def _db_health(self, error: Exception | None) -> None:
        dialect = self.ctx.db.dialect
        if error is None:
            self.db_status.set("ok", "Database", f"Database ({dialect}): answering")
            return
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        if isinstance(error, StorageUnavailable):  # names the setting and the fix itself
            detail = f"Database ({dialect}): {first}"
        else:
            detail = (
                f"Database ({dialect}): {first} — check the database server and the network, "
                "then try again (nothing was posted by the step that failed)"
            )
        self.db_status.set("bad", "Database: not answering", detail)

    def show_detail(self, detail: str) -> None:
        """What a status light means and what to do about it."""
        self._show_box("Status", detail)

    def show_status(self) -> None:
        lights = (self.db_status, self.printer_status, self.drawer_status)
        self._show_box("Status", "<br><br>".join(f"● {light.detail}" for light in lights))
