"""The printer and the drawer, each driven from one device thread of its own, so the GUI
never waits on hardware. Results come back to the GUI thread through ``DeviceOp``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThreadPool

from counter_app.config import DrawerSettings
from counter_app.domain.receipt import Receipt
from counter_app.ui.operations import DeviceOp
from drivers.drawer import require_drawer_closed


class StatusLike(Protocol):
    @property
    def summary(self) -> str: ...
    def raise_if_not_ready(self, during_job: bool = False) -> None: ...


class PrinterLike(Protocol):
    def open(self) -> None: ...
    def status(self) -> StatusLike: ...
    def print_receipt(self, receipt: Receipt) -> None: ...


class DrawerLike(Protocol):
    def connect(self) -> None: ...
    def close(self) -> None: ...
    def open(self) -> None: ...
    def is_open(self) -> bool | None: ...


class Devices:
    """Owns one single-thread pool per device (one shared pool when the drawer is kicked
    through the printer, so the two never talk over each other)."""

    def __init__(
        self,
        printer: PrinterLike | None,
        drawer: DrawerLike | None,
        *,
        drawer_via_printer: bool = False,
    ) -> None:
        self.printer = printer
        self.drawer = drawer
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
        self,
        owner: QObject,
        settings: DrawerSettings,
        done: Callable[[Any], None],
        failed: Callable[[Exception], None],
    ) -> None:
        """``done(None)`` unless ``settings.require_closed`` is on and the sensor says the
        drawer is open (``failed(DrawerStillOpen)``); no drawer: nothing to check."""
        drawer = self.drawer
        if drawer is None or not settings.require_closed:
            done(None)
            return

        def job() -> None:
            drawer.connect()
            require_drawer_closed(drawer, settings)  # type: ignore[arg-type]

        DeviceOp(owner, job).success(done).failure(failed).run_in_background(self._drawer_pool)

    def printer_status(
        self, owner: QObject, done: Callable[[Any], None], failed: Callable[[Exception], None]
    ) -> None:
        """The printer's status (``done(status)``), or why it cannot be read."""
        printer = self.printer
        if printer is None:
            failed(RuntimeError("not configured"))
            return

        def job() -> StatusLike:
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
