"""The printer and the drawer, each driven from one device thread of its own, so the GUI
never waits on hardware. Results come back to the GUI thread through ``DeviceOp``.

The devices are built by ``counter_app.app`` and seen here only through their protocols
(``counter_app.printing.interfaces``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool

from counter_app.domain.end_of_day import DrawerReport
from counter_app.domain.receipt import Receipt
from counter_app.domain.report_figures import ChainHead
from counter_app.domain.sessions import Movement
from counter_app.printing.interfaces import (
    CashDrawer,
    PrinterStatus,
    ReceiptPreview,
    ReceiptPrinter,
)
from counter_app.ui.operations import DeviceOp

Done = Callable[[Any], None]
Failed = Callable[[Exception], None]
D = TypeVar("D")
NO_PRINTER = "No receipt printer is configured (printer.url)"
NO_DRAWER = "No cash drawer is configured (drawer.backend)"


class Devices:
    """Owns one single-thread pool per device (one shared pool when the drawer is kicked
    through the printer, so the two never talk over each other). ``preview`` shows receipts
    in the last-receipt window (None: the station has none)."""

    def __init__(
        self,
        printer: ReceiptPrinter | None,
        drawer: CashDrawer | None,
        *,
        drawer_via_printer: bool = False,
        preview: ReceiptPreview | None = None,
    ) -> None:
        self.printer = printer
        self.drawer = drawer
        self.preview = preview
        self._printer_pool = QThreadPool()
        self._printer_pool.setMaxThreadCount(1)
        self._drawer_pool = self._printer_pool if drawer_via_printer else QThreadPool()
        self._drawer_pool.setMaxThreadCount(1)

    def _run(
        self,
        pool: QThreadPool,
        device: D | None,
        owner: QObject,
        work: Callable[[D], Any],
        done: Done,
        failed: Failed,
        missing: str,
    ) -> None:
        """``work(device)`` on that device's thread; no device: ``failed`` says so."""
        if device is None:
            failed(RuntimeError(missing))
            return
        DeviceOp(owner, lambda: work(device)).success(done).failure(failed).run_in_background(pool)

    def _on_printer(
        self,
        owner: QObject,
        work: Callable[[ReceiptPrinter], Any],
        done: Done,
        failed: Failed,
        *,
        missing: str = NO_PRINTER,
    ) -> None:
        """``work(printer)`` on the printer's thread, opened first (a no-op when it is open;
        it reconnects after a fault closed it)."""

        def opened(printer: ReceiptPrinter) -> Any:
            printer.open()
            return work(printer)

        self._run(self._printer_pool, self.printer, owner, opened, done, failed, missing)

    def _on_drawer(
        self,
        owner: QObject,
        work: Callable[[CashDrawer], Any],
        done: Done,
        failed: Failed,
        *,
        reconnect: bool = False,
        missing: str = NO_DRAWER,
    ) -> None:
        """``work(drawer)`` on the drawer's thread, connected first (a no-op when it is;
        afresh with ``reconnect``)."""

        def connected(drawer: CashDrawer) -> Any:
            if reconnect:
                drawer.close()
            drawer.connect()
            return work(drawer)

        self._run(self._drawer_pool, self.drawer, owner, connected, done, failed, missing)

    def print_receipt(self, owner: QObject, receipt: Receipt, done: Done, failed: Failed) -> None:
        self._on_printer(owner, lambda printer: printer.print_receipt(receipt), done, failed)

    def print_movement(
        self, owner: QObject, movement: Movement, done: Done, failed: Failed
    ) -> None:
        self._on_printer(owner, lambda printer: printer.print_movement(movement), done, failed)

    def print_ztape(
        self,
        owner: QObject,
        report: DrawerReport,
        chain_head: ChainHead | None,
        done: Done,
        failed: Failed,
    ) -> None:
        """A session's Z tape (or X read), with the audit chain's head."""
        self._on_printer(
            owner, lambda printer: printer.print_ztape(report, chain_head), done, failed
        )

    def open_drawer(
        self, owner: QObject, done: Done, failed: Failed, *, reconnect: bool = False
    ) -> None:
        """Connect (afresh when ``reconnect``: the cashier's retry) and pop the drawer."""
        self._on_drawer(owner, lambda drawer: drawer.open(), done, failed, reconnect=reconnect)

    def require_drawer_closed(self, owner: QObject, done: Done, failed: Failed) -> None:
        """``done(None)`` unless the station requires the drawer closed and the sensor says
        it is open (``failed(DrawerStillOpen)``); no drawer: nothing to check."""
        if self.drawer is None or not self.drawer.requires_closed:
            done(None)
            return
        self._on_drawer(owner, lambda drawer: drawer.check_closed(), done, failed)

    def printer_status(self, owner: QObject, done: Done, failed: Failed) -> None:
        """The printer's status (``done(status)``), or why it cannot be read."""

        def job(printer: ReceiptPrinter) -> PrinterStatus:
            status = printer.status()
            status.raise_if_not_ready()
            return status

        self._on_printer(owner, job, done, failed, missing="not configured")

    def drawer_state(self, owner: QObject, done: Done, failed: Failed) -> None:
        """``done(True/False/None)``: open, closed, or no sensor."""
        self._on_drawer(
            owner, lambda drawer: drawer.is_open(), done, failed, missing="not configured"
        )

    def wait(self, msecs: int = 5000) -> None:
        self._printer_pool.waitForDone(msecs)
        self._drawer_pool.waitForDone(msecs)
