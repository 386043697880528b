"""The station's receipt printer: the layout in front of a driver."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from counter_app.domain.end_of_day import DrawerReport
from counter_app.domain.receipt import Receipt
from counter_app.domain.report_figures import ChainHead
from counter_app.domain.sessions import Movement
from counter_app.printing.layout import ReceiptLayout
from counter_app.printing.ztape import layout_ztape
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

    def print_ztape(self, report: DrawerReport, chain_head: ChainHead | None = None) -> None:
        """A session's X read (open) or Z tape (counted); the Z with the audit chain's head."""
        layout = self.layout
        self.driver.print_lines(
            layout_ztape(
                report,
                width=layout.width,
                tz=layout.tz,
                office=layout.office_name,
                chain_head=chain_head,
            )
        )
