"""The receipt printer: the ``ReceiptPrinter`` protocol and its python-escpos implementation.

``make_printer(settings)`` picks the transport from ``settings.url`` (``tcp://``,
``serial://``, ``usb://``, ``file://``, ``dummy:``). Open it explicitly and show the error if
that fails; nothing opens by itself on first use. Before each job the printer is asked for its
real-time status (DLE EOT) where the transport can answer (tcp, serial); an offline, paper-out
or cover-open printer raises before a byte of the receipt is sent. After the job it is asked
again, which also proves it read the whole job: a printer that stopped reading raises
``PrinterTimeout`` within ``settings.timeout_s``; one whose reply does not parse raises
``PrinterStatusUnreadable`` (status unknown, never "paper OK"). After a transport fault the
printer is closed; ``open()`` it again before the Reprint.

80 mm receipts print in font A at the profile's font-A width (``settings.line_width``); font B
is chosen only for an explicit ``columns`` that only font B fits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

import serial
from escpos import exceptions as escpos_errors
from escpos.capabilities import NotSupported
from escpos.printer import Dummy

from counter_app.config import PrinterSettings
from counter_app.domain.receipt import Receipt
from drivers import status as dle
from drivers.errors import (
    DriverError,
    PrinterError,
    PrinterOffline,
    PrinterStatusUnreadable,
    PrinterTimeout,
)
from drivers.printer_links import Link, make_link
from drivers.receipt_layout import LOGO_PATH, Kick, Op, layout_receipt, layout_test_page, render_ops
from drivers.status import PrinterStatus, parse_status

STATUS_QUERIES = (dle.PRINTER, dle.OFFLINE_CAUSE, dle.ROLL_PAPER)


class ReceiptPrinter(Protocol):
    """What Counter needs from a receipt printer."""

    def open(self) -> None:
        """Connect; raises ``PrinterOffline`` when the printer cannot be reached."""

    def close(self) -> None:
        """Disconnect (safe to call twice)."""

    def status(self) -> PrinterStatus:
        """The printer's real-time status; unknown fields where it cannot tell."""

    def print_receipt(self, receipt: Receipt) -> None:
        """Print one receipt; raises a ``PrinterError`` when it may not have printed."""

    def print_test_page(self) -> None:
        """Print a short test page."""

    def kick_drawer(self, pin: int, on_ms: int, off_ms: int) -> None:
        """Pulse the drawer kick-out connector (ESC p) on pin 2 or 5."""


class EscposPrinter:
    """A ``ReceiptPrinter`` over any python-escpos transport."""

    def __init__(
        self,
        link: Link,
        settings: PrinterSettings,
        *,
        tz: ZoneInfo | None = None,
        logo: Path | None = None,
        office_name: str = "",
    ) -> None:
        self.link = link
        self.settings = settings
        self.tz = tz
        self.logo = logo
        self.office_name = office_name
        self.width = settings.line_width
        self.font = _font_for(link, self.width)
        self._composer = Dummy(profile=settings.profile)
        self._open = False

    # --- connection -------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._open

    def open(self) -> None:
        if self._open:
            return
        try:
            self.link.open()
        except escpos_errors.DeviceNotFoundError as exc:
            raise PrinterOffline(f"cannot connect to {self.link.where}: {_why(exc)}") from exc
        except (OSError, serial.SerialException, ValueError) as exc:
            raise PrinterOffline(f"cannot connect to {self.link.where}: {exc}") from exc
        self._open = True

    def close(self) -> None:
        self._open = False
        with contextlib.suppress(OSError, serial.SerialException):
            self.link.close()

    def _abort(self) -> None:
        self._open = False
        with contextlib.suppress(OSError, serial.SerialException):
            self.link.abort()

    # --- status -----------------------------------------------------------------------------
    def status(self) -> PrinterStatus:
        with self._talking():
            return self._query_status()[0]

    def _query_status(self, before: bytes = b"") -> tuple[PrinterStatus, bool]:
        """Send ``before`` (a job) and the status queries in one write; read the replies.

        Returns the status and whether any reply came at all (a reply that does not parse is
        "unknown", not "fine"). Only for links that answer; others report an unknown status
        without sending.
        """
        if not self.link.answers_status:
            return PrinterStatus(), False
        self.link.drain()
        self.link.escpos._raw(before + b"".join(dle.query(n) for n in STATUS_QUERIES))
        replies: dict[int, bytes] = {}
        for n in STATUS_QUERIES:
            reply = self.link.read_byte()
            if not reply:
                break  # a silent printer: do not wait a timeout per query
            replies[n] = reply
        return parse_status(replies), bool(replies)

    def _send_checked(self, body: bytes = b"") -> None:
        """Send ``body`` (empty: nothing) and raise unless the printer then reports ready.

        Without ``body`` this is the pre-job check; with it, the status queries follow the
        job in the same write, so a reply proves the printer read the whole job.
        """
        during_job = bool(body)
        if not (self.link.answers_status and self.settings.status_check):
            if body:
                self.link.escpos._raw(body)
            return
        status, answered = self._query_status(body)
        if not status.known:
            if answered:
                raise PrinterStatusUnreadable()
            what = "stopped answering during the receipt" if during_job else "did not answer"
            raise PrinterTimeout(self.settings.timeout_s, what)
        status.raise_if_not_ready(during_job)

    # --- jobs -------------------------------------------------------------------------------
    def print_receipt(self, receipt: Receipt) -> None:
        self._job(
            layout_receipt(
                receipt,
                width=self.width,
                tz=self.tz,
                barcode=self.settings.barcode,
                logo=self.logo,
            )
        )

    def print_test_page(self) -> None:
        now = dt.datetime.now(dt.UTC)
        self._job(layout_test_page(self.office_name or "Counter", self.width, now, self.tz))

    def kick_drawer(self, pin: int = 2, on_ms: int = 100, off_ms: int = 200) -> None:
        if pin not in (2, 5):
            raise ValueError("the drawer kick pin is 2 or 5")
        with self._talking():
            self._send_checked()
            self._send_checked(self._compose([Kick(pin, on_ms, off_ms)], init=False))

    def _compose(self, ops: list[Op], init: bool = True) -> bytes:
        """The job's bytes, built on a ``Dummy`` with this printer's profile: one write, so
        no small-packet delays on TCP and nothing half-sent when layout fails."""
        self._composer.clear()
        render_ops(ops, self._composer, self.font, init=init)
        return self._composer.output

    def _job(self, ops: list[Op]) -> None:
        sending = False
        try:
            with self._talking():
                body = self._compose(ops)
                self._send_checked()
                sending = True
                self._send_checked(body)
        except PrinterError as exc:
            exc.may_have_printed = sending
            raise

    @contextlib.contextmanager
    def _talking(self) -> Iterator[None]:
        """Translate transport and library failures into the ``DriverError`` tree."""
        if not self._open:
            raise PrinterOffline("not connected; open the printer first")
        try:
            yield
        except PrinterTimeout:
            self._abort()  # unread bytes may still sit in the link: start afresh on open()
            raise
        except DriverError:
            raise
        except (TimeoutError, serial.SerialTimeoutException) as exc:
            self._abort()
            raise PrinterTimeout(self.settings.timeout_s, "did not take the data") from exc
        except (OSError, serial.SerialException) as exc:
            self._abort()
            raise PrinterOffline(f"connection to {self.link.where} lost: {exc}") from exc
        except escpos_errors.Error as exc:
            raise PrinterError(
                f"Printer: cannot print this ({exc}) — tell your supervisor"
            ) from exc


def _why(exc: escpos_errors.DeviceNotFoundError) -> str:
    """What stopped the connection, in words a cashier can act on."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused; the printer is off, or the address or port is wrong"
    if isinstance(cause, TimeoutError):
        return "no answer; the printer is off or unplugged, or the address is wrong"
    if isinstance(cause, socket.gaierror):
        return "unknown host name; check the printer setting"
    return str(exc).splitlines()[-1].strip() or "not found"


def _font_for(link: Link, width: int) -> str:
    """Font A, or font B when only B fits ``width`` characters on this profile."""
    profile = link.escpos.profile
    try:
        font_a, font_b = profile.get_columns("a"), profile.get_columns("b")
    except (KeyError, NotSupported, escpos_errors.Error):  # a profile without font data
        return "a"
    return "b" if font_a < width <= font_b else "a"


def make_printer(
    settings: PrinterSettings, *, tz: ZoneInfo | None = None, office_name: str = ""
) -> ReceiptPrinter:
    """The printer ``settings.url`` names, not yet opened.

    ``tz`` is the office's zone for the printed date (default: the zone the receipt carries);
    the logo is ``resources/receipt_logo.png`` when ``settings.logo`` is on.
    """
    logo = LOGO_PATH if settings.logo and LOGO_PATH.is_file() else None
    return EscposPrinter(make_link(settings), settings, tz=tz, logo=logo, office_name=office_name)


__all__ = ["EscposPrinter", "ReceiptPrinter", "make_printer"]
