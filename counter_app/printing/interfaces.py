"""The protocols the GUI and the CLI see devices through, and nothing else.

``ReceiptPrinter`` prints the domain's receipts (``printer.StationPrinter`` over any driver);
``CashDrawer`` and ``PrinterStatus`` are the drivers' own (``drivers.interfaces``);
``ReceiptPreview`` shows a receipt on screen. Errors are ``drivers.errors``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from counter_app.domain.end_of_day import DrawerReport
from counter_app.domain.receipt import Receipt
from counter_app.domain.report_figures import ChainHead
from counter_app.domain.sessions import Movement
from drivers.interfaces import CashDrawer, PrinterStatus


class ReceiptPrinter(Protocol):
    """A receipt printer as the counter uses it."""

    def open(self) -> None:
        """Connect (no-op when open); raises ``PrinterOffline``."""

    def close(self) -> None:
        """Disconnect (safe to call twice)."""

    def status(self) -> PrinterStatus:
        """The printer's real-time status; unknown fields where it cannot tell."""

    def print_receipt(self, receipt: Receipt) -> None:
        """Print one receipt; raises a ``PrinterError`` when it may not have printed."""

    def print_movement(self, movement: Movement) -> None:
        """Print a cash movement's slip; raises a ``PrinterError`` when it may not have."""

    def print_test_page(self) -> None:
        """Print a short page that shows the printer, code page and cutter work."""

    def print_ztape(self, report: DrawerReport, chain_head: ChainHead | None = None) -> None:
        """Print a session's X read or Z tape; raises a ``PrinterError`` when it may not have."""


class ReceiptPreview(Protocol):
    """A receipt as the station's paper shows it, for the last-receipt window."""

    def text(self, receipt: Receipt) -> str:
        """The receipt as laid out for paper, in plain text."""

    @property
    def shows_pictures(self) -> bool:
        """True when ``picture`` can find what the printer printed."""

    def picture(self, number: str) -> Path | None:
        """The picture of printed receipt ``number``; None until it exists."""


__all__ = ["CashDrawer", "PrinterStatus", "ReceiptPreview", "ReceiptPrinter"]
