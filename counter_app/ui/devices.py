"""The printer and the drawer, each driven from one device thread of its own, so the GUI
never waits on hardware. Results come back to the GUI thread through ``DeviceOp``.

The devices are built by ``counter_app.app`` and seen here only through their protocols
(``counter_app.printing.interfaces``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool

from counter_app.domain.receipt import Receipt
from counter_app.printing.interfaces import (
    CashDrawer,
    PrinterStatus,
    ReceiptPreview,
    ReceiptPrinter,
)
from counter_app.ui.operations import DeviceOp


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

    def print_receipt(
        self,
        owner: QObject,
        receipt: Receipt,
        done: Callable[[Any], None],
        failed: Callable[[Exception], None],
    ) -> None:
        printer = self.printer
        if printer is None:
            failed(RuntimeError("No receipt printer is configured (printer.url)"))
            return

        def job() -> None:
            printer.open()  # no-op when open; reconnects after a fault closed it
            printer.print_receipt(receipt)

        DeviceOp(owner, job).success(done).failure(failed).run_in_background(self._printer_pool)

    def open_drawer(
        self,
        owner: QObject,
        done: Callable[[Any], None],
        failed: Callable[[Exception], None],
        *,
        reconnect: bool = False,
    ) -> None:
        """Connect (afresh when ``reconnect``: the cashier's retry) and pop the drawer."""
        drawer = self.drawer
        if drawer is None:
            failed(RuntimeError("No cash drawer is configured (drawer.backend)"))
            return

        def job() -> None:
            if reconnect:
                drawer.close()
            drawer.connect()
            drawer.open()

        DeviceOp(owner, job).success(done).failure(failed).run_in_background(self._drawer_pool)

    def require_drawer_closed(
        self, owner: QObject, done: Callable[[Any], None], failed: Callable[[Exception], None]
    ) -> None:
        """``done(None)`` unless the station requires the drawer closed and the sensor says
        it is open (``failed(DrawerStillOpen)``); no drawer: nothing to check."""
        drawer = self.drawer
        if drawer is None or not drawer.requires_closed:
            done(None)
            return

        def job() -> None:
            drawer.connect()
            drawer.check_closed()

        DeviceOp(owner, job).success(done).failure(failed).run_in_background(self._drawer_pool)

    def printer_status(
        self, owner: QObject, done: Callable[[Any], None], failed: Callable[[Exception], None]
    ) -> None:
        """The printer's status (``done(status)``), or why it cannot be read."""
        printer = self.printer
        if printer is None:
            failed(RuntimeError("not configured"))
            return

        def job() -> PrinterStatus:
            printer.open()
            status = printer.status()
            status.raise_if_not_ready()
            return status

        DeviceOp(owner, job).success(done).failure(failed).run_in_background(self._printer_pool)

    def drawer_state(
        self, owner: QObject, done: Callable[[Any], None], failed: Callable[[Exception], None]
    ) -> None:
        """``done(True/False/None)``: open, closed, or no sensor."""
        drawer = self.drawer
        if drawer is None:
            failed(RuntimeError("not configured"))
            return

        def job() -> bool | None:
            drawer.connect()
            return drawer.is_open()

        DeviceOp(owner, job).success(done).failure(failed).run_in_background(self._drawer_pool)

    def wait(self, msecs: int = 5000) -> None:
        self._printer_pool.waitForDone(msecs)
        self._drawer_pool.waitForDone(msecs)
