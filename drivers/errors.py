"""Driver errors: one tree, every message a cashier can act on.

Library, socket and serial exceptions never leave ``drivers/``; they are translated into these
at the edge of each backend. ``DriverError`` is a ``CounterError``, so the GUI shows it and the
CLI prints it and exits 1: that base class is the one thing ``drivers/`` takes from Counter.
"""

from __future__ import annotations

from counter_app.domain.errors import CounterError


class DriverError(CounterError):
    """A device could not do what was asked; the message says what to do next."""


class BadParameter(DriverError):
    """A parameter (``drivers.params``) names something no device can be.

    ``field`` is the parameter's name and ``problem`` what is wrong with its value and what to
    write instead; the app says which of its settings that is."""

    def __init__(self, field: str, problem: str) -> None:
        self.field, self.problem = field, problem
        super().__init__(f"{field}: {problem}")


# --- printer --------------------------------------------------------------------------------
class PrinterError(DriverError):
    """The receipt printer failed; the receipt can be printed again with Reprint.

    ``may_have_printed`` is True when the failure came after the receipt's bytes began to go
    out: part of it, or all of it once a stalled printer resumes, may be in the customer's
    hand, so the next copy is a REPRINT."""

    may_have_printed: bool = False


class PrinterOffline(PrinterError):
    """The printer is off, unplugged, unreachable or reports itself offline."""

    def __init__(self, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(f"Printer: offline{extra} — check power and cable, then Reprint")


class PaperOut(PrinterError):
    """The paper roll is empty."""

    def __init__(self, during_job: bool = False) -> None:
        when = " while printing; the receipt is incomplete" if during_job else ""
        super().__init__(f"Printer: paper out{when} — load paper, then Reprint")


class CoverOpen(PrinterError):
    """The printer's cover is open."""

    def __init__(self) -> None:
        super().__init__("Printer: cover open — close the cover, then Reprint")


class PrinterTimeout(PrinterError):
    """The printer stopped answering within the configured timeout."""

    def __init__(self, seconds: float, what: str = "did not answer") -> None:
        super().__init__(
            f"Printer: {what} within {seconds:g} s — check it is on and has paper, then Reprint"
        )


class PrinterStatusUnreadable(PrinterError):
    """The printer answered the status query with something that is not a status byte."""

    def __init__(self) -> None:
        super().__init__(
            "Printer: status unknown (its answer to the status query made no sense) — switch "
            "the printer off and on, then Reprint"
        )


# --- cash drawer ----------------------------------------------------------------------------
class DrawerError(DriverError):
    """The cash drawer failed."""


class DrawerNotConnected(DrawerError):
    """The drawer's port or the printer that kicks it cannot be reached."""

    def __init__(self, where: str, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"Cash drawer: not connected at {where}{extra} — check the cable, then try again"
        )


class DrawerDidNotOpen(DrawerError):
    """The drawer was told to open but its sensor never reported it open."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"Cash drawer: did not open within {seconds:g} s — check it is unlocked and not "
            "jammed, then open it again"
        )


class DrawerStillOpen(DrawerError):
    """The next transaction needs the drawer closed first (``require_closed``)."""

    def __init__(self) -> None:
        super().__init__("Cash drawer: still open — close the drawer to start the next customer")
