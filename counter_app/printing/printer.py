"""The station's receipt printer: the layout in front of a driver."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from counter_app.domain.receipt import Receipt
from counter_app.domain.sessions import Movement
from counter_app.printing.layout import ReceiptLayout
from drivers.interfaces import LinePrinter, PrinterStatus


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class StationPrinter:
    """A ``ReceiptPrinter``: lays each receipt out with ``layout`` and hands the lines to
    ``driver``, which sends them and reports the printer's status and faults."""

    def __init__(
        self,
        driver: LinePrinter,
        layout: ReceiptLayout,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self.driver, self.layout, self.clock = driver, layout, clock

    def open(self) -> None:
        self.driver.open()

    def close(self) -> None:
        self.driver.close()

    def status(self) -> PrinterStatus:
        return self.driver.status()

    def print_receipt(self, receipt: Receipt) -> None:
        self.driver.print_lines(self.layout.receipt(receipt))

    def print_movement(self, movement: Movement) -> None:
        self.driver.print_lines(self.layout.movement(movement))

    def print_test_page(self) -> None:
        self.driver.print_lines(self.layout.test_page(self.clock()))
