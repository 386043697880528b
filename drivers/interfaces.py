"""The device protocols: what Counter needs from a receipt printer and a cash drawer.

Every backend in ``drivers/`` implements one of these; the app sees devices only through them
(and ``drivers.errors``). ``PrinterStatus`` is the value a printer reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from drivers.paper import Line
from drivers.status import Paper, PrinterStatus


class LinePrinter(Protocol):
    """A receipt printer that prints printer-neutral lines (``drivers.paper``)."""

    def open(self) -> None:
        """Connect; raises ``PrinterOffline`` when the printer cannot be reached."""

    def close(self) -> None:
        """Disconnect (safe to call twice)."""

    def status(self) -> PrinterStatus:
        """The printer's real-time status; unknown fields where it cannot tell."""

    def print_lines(self, lines: Sequence[Line]) -> None:
        """Print one job; raises a ``PrinterError`` when it may not have printed."""

    def kick_drawer(self, pin: int, on_ms: int, off_ms: int) -> None:
        """Pulse the drawer kick-out connector (ESC p) on pin 2 or 5."""


class CashDrawer(Protocol):
    """A cash drawer: connect it, pop it open, read its sensor."""

    @property
    def requires_closed(self) -> bool:
        """True when the next customer must wait until the drawer is closed."""

    def connect(self) -> None:
        """Get ready to use the drawer; raises ``DrawerNotConnected``."""

    def close(self) -> None:
        """Let go of the port (safe to call twice)."""

    def open(self) -> None:
        """Pop the drawer open; raises ``DrawerDidNotOpen`` when the sensor disagrees."""

    def is_open(self) -> bool | None:
        """The sensor's reading, or None when there is no sensor or it cannot tell."""

    def check_closed(self) -> None:
        """Raise ``DrawerStillOpen`` when ``requires_closed`` and the sensor says open."""


__all__ = ["CashDrawer", "LinePrinter", "Paper", "PrinterStatus"]
