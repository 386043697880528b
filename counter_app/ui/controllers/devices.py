"""The printer, the drawer and their lights: print after the commit, pop the drawer and let
Ctrl+K retry it, watch the sensor until the drawer closes, and keep the Printer and Drawer
lights (with the detail and the fix behind each) up to date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.domain.end_of_day import DrawerReport
from counter_app.domain.receipt import Receipt
from counter_app.domain.report_figures import ChainHead
from counter_app.domain.sessions import Movement
from counter_app.printing.interfaces import PrinterStatus
from counter_app.services import receipts
from counter_app.services.context import Context
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.controllers.common import DialogSlot
from counter_app.ui.devices import Devices
from counter_app.ui.operations import Changes, WriteOp
from counter_app.ui.widgets.search_pane import SearchPane
from counter_app.ui.widgets.status_lights import Lights, short
from drivers.errors import DrawerStillOpen, PrinterError

DEVICE_POLL_MS = 15_000
DRAWER_WATCH_MS = 250  # how often an open change-due screen looks at the drawer sensor
CLOSE_DRAWER_FIRST = "Close the cash drawer first: the next transaction waits for it"


@dataclass(frozen=True)
class DrawerOpening:
    """What the drawer is opened for, and who wants to hear how it went."""

    purpose: str
    opened: Callable[[], None] = lambda: None
    failed: Callable[[Exception], None] = lambda _e: None


class DeviceController(QObject):
    """Owns the station's ``Devices`` and the Printer / Drawer lights."""

    printed = Signal(str)  # the number of a receipt the printer took whole

    def __init__(
        self,
        ctx: Context,
        devices: Devices,
        lights: Lights,
        pane: SearchPane,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.devices, self.lights, self.pane = ctx, devices, lights, pane
        self.retry: DrawerOpening | None = None  # what the drawer failed to open for
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(DEVICE_POLL_MS)
        self.check()

    @property
    def retry_purpose(self) -> str | None:
        return None if self.retry is None else self.retry.purpose

    def stop(self) -> None:
        self.timer.stop()

    # --- the printer --------------------------------------------------------------------
    def print_receipt(self, receipt: Receipt) -> None:
        """Print after the commit; a failure leaves it unprinted for Reprint (F3)."""
        number = receipt.number

        def printed(_r: object) -> None:
            self.lights.printer.set("ok", "Printer ready", f"Printer: printed receipt {number}")
            self.printed.emit(number)
            WriteOp(
                self, lambda: receipts.mark_printed(self.ctx, number), Changes(receipts=True)
            ).run_in_background()

        def failed(error: Exception) -> None:
            detail = f"{error} — receipt {number} is posted and waits for Reprint (F3)"
            self.lights.printer.set("bad", short(str(error)), detail)
            self.pane.say(f"Receipt {number} did not print: {error}")
            partly = isinstance(error, PrinterError) and error.may_have_printed
            WriteOp(
                self,
                lambda: receipts.mark_print_failed(
                    self.ctx, number, str(error), may_have_printed=partly
                ),
                Changes(receipts=True),
            ).run_in_background()

        self.devices.print_receipt(self, receipt, printed, failed)

    def print_movement(self, movement: Movement) -> None:
        """The slip a cash movement leaves in the drawer (not kept for reprint)."""
        what = f"{movement.kind.label} slip"

        def printed(_r: object) -> None:
            self.lights.printer.set("ok", "Printer ready", f"Printer: printed the {what}")

        def failed(error: Exception) -> None:
            self.lights.printer.set("bad", short(str(error)), f"{error} — the {what} did not print")
            self.pane.say(f"The {what} did not print: {error}")

        self.devices.print_movement(self, movement, printed, failed)

    def print_ztape(self, report: DrawerReport, chain_head: ChainHead | None) -> None:
        """The session's Z tape; a failure says so (the drawer balancing report has the same
        figures, and ``counter-app report drawer`` prints them again)."""
        what = f"Z tape of session #{report.session.id}"

        def printed(_r: object) -> None:
            self.lights.printer.set("ok", "Printer ready", f"Printer: printed the {what}")

        def failed(error: Exception) -> None:
            self.lights.printer.set("bad", short(str(error)), f"{error} — the {what} did not print")
            self.pane.say(f"The {what} did not print: {error}")

        self.devices.print_ztape(self, report, chain_head, printed, failed)

    # --- the drawer ---------------------------------------------------------------------
    def require_closed(self, go_on: Callable[[], None], wait: Callable[[], None]) -> None:
        """``go_on()`` unless the sensor says the drawer is still open and the station
        requires it closed (then ``wait()``); a drawer that cannot tell does not block."""

        def not_closed(error: Exception) -> None:
            if isinstance(error, DrawerStillOpen):
                self.lights.drawer.set("warn", "Drawer OPEN", CLOSE_DRAWER_FIRST)
                self.pane.say(CLOSE_DRAWER_FIRST)
                wait()
                return
            self.lights.drawer.set("bad", short(str(error)), str(error))
            go_on()

        self.devices.require_drawer_closed(self, lambda _r: go_on(), not_closed)

    def open_drawer(self, opening: DrawerOpening, *, reconnect: bool = False) -> None:
        """Pop the drawer; if it fails, Ctrl+K tries again for the same ``opening``."""
        self.retry = opening

        def opened(_r: object) -> None:
            self.retry = None
            self.lights.drawer.set("warn", "Drawer OPEN", "Drawer: open")
            opening.opened()

        def failed(error: Exception) -> None:
            detail = f"{error} — press Ctrl+K to open it again (the transaction stays posted)"
            self.lights.drawer.set("bad", short(str(error)), detail)
            self.pane.say(f"Drawer: {error} — Ctrl+K opens it again")
            opening.failed(error)

        self.devices.open_drawer(self, opened, failed, reconnect=reconnect)

    def open_drawer_again(self) -> None:
        """Ctrl+K: reconnect and open the drawer for what it failed to open for (no new
        cash movement is recorded)."""
        if self.retry is None:
            self.pane.say("The drawer has not failed to open; to open it without a sale: Ctrl+N")
            return
        self.pane.say(f"Opening the drawer again for {self.retry.purpose}…")
        self.open_drawer(self.retry, reconnect=True)

    def hand_over(self, slot: DialogSlot, dialog: ChangeDueDialog, purpose: str) -> None:
        """Show the cash screen (change due, or a void's refund) and pop the drawer for it;
        the screen says if the drawer did not open, and closes once the sensor reports the
        drawer shut."""
        dialog.retry_drawer.connect(self.open_drawer_again)
        slot.open(dialog)

        def showing() -> bool:
            return slot.current is dialog

        def opened() -> None:
            if showing():
                dialog.drawer_opened()
                self.watch_until_closed(showing, dialog.accept)

        def failed(error: Exception) -> None:
            if showing():
                dialog.drawer_failed(error)

        self.open_drawer(DrawerOpening(purpose, opened, failed))

    def watch_until_closed(self, watching: Callable[[], bool], closed: Callable[[], None]) -> None:
        """While ``watching()``, look at the sensor; when it reports closed, ``closed()``."""

        def look() -> None:
            if watching():
                self.devices.drawer_state(self, seen, lambda _e: None)

        def seen(is_open: bool | None) -> None:
            self._show_drawer_state(is_open)
            if is_open is None or not watching():
                return  # no sensor: the cashier closes the screen
            if is_open:
                QTimer.singleShot(DRAWER_WATCH_MS, look)
            else:
                closed()

        look()

    def _show_drawer_state(self, is_open: bool | None) -> None:
        light = self.lights.drawer
        if is_open is None:
            light.set("ok", "Drawer (no sensor)", "Drawer: it has no sensor")
        elif is_open:
            light.set("warn", "Drawer OPEN", "Drawer: open — close it after the sale")
        else:
            light.set("ok", "Drawer closed", "Drawer: closed")

    # --- the lights ---------------------------------------------------------------------
    def check(self) -> None:
        """Refresh the printer and drawer lights (also on a timer)."""
        self.devices.printer_status(self, self._show_printer_status, self._printer_failed)
        self.devices.drawer_state(
            self,
            self._show_drawer_state,
            lambda e: self.lights.drawer.set("bad", short(f"Drawer: {e}"), f"Drawer: {e}"),
        )

    def _show_printer_status(self, status: PrinterStatus) -> None:
        summary, light = status.summary, self.lights.printer
        if not status.known:
            light.set(
                "warn",
                "Printer unknown",
                "Printer: status unknown — it did not answer the status query; check it is on "
                "and connected (counter-app printer test)",
            )
        elif "near end" in summary:
            light.set("warn", "Printer: paper low", f"Printer {summary} — have a new roll ready")
        else:
            light.set("ok", "Printer ready", f"Printer: {summary}")

    def _printer_failed(self, error: Exception) -> None:
        text = str(error) if str(error).startswith("Printer") else f"Printer: {error}"
        self.lights.printer.set("bad", short(text), text)
