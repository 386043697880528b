"""The receipt printer over python-escpos: ``EscposPrinter``, a ``LinePrinter``.

``make_printer(params)`` picks the transport from ``params.url`` (``tcp://``, ``serial://``,
``usb://``, ``file://``, ``dummy:``). Open it explicitly and show the error if that fails;
nothing opens by itself on first use. Before each job the printer is asked for its real-time
status (DLE EOT) where the transport can answer (tcp, serial); an offline, paper-out or
cover-open printer raises before a byte of the job is sent. After the job it is asked again,
which also proves it read the whole job: a printer that stopped reading raises
``PrinterTimeout`` within ``params.timeout_s``; one whose reply does not parse raises
``PrinterStatusUnreadable`` (status unknown, never "paper OK"). After a transport fault the
printer is closed; ``open()`` it again before the Reprint.

Jobs are printer-neutral lines (``drivers.paper``), turned into ESC/POS here. They print in
font A; font B is chosen only when ``params.columns`` is more than font A fits on the profile.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator, Sequence

import serial
from escpos import exceptions as escpos_errors
from escpos.capabilities import NotSupported
from escpos.escpos import Escpos
from escpos.magicencode import MagicEncode
from escpos.printer import Dummy

from drivers import status as dle
from drivers.errors import (
    DriverError,
    PrinterError,
    PrinterOffline,
    PrinterStatusUnreadable,
    PrinterTimeout,
)
from drivers.interfaces import LinePrinter
from drivers.paper import Code, Cut, Feed, Line, Logo, Text
from drivers.params import PrinterParams
from drivers.printer_links import Link, make_link
from drivers.status import PrinterStatus, parse_status

STATUS_QUERIES = (dle.PRINTER, dle.OFFLINE_CAUSE, dle.ROLL_PAPER)


class EscposPrinter:
    """A ``LinePrinter`` over any python-escpos transport."""

    def __init__(self, link: Link, params: PrinterParams) -> None:
        self.link = link
        self.params = params
        self.font = _font_for(link, params.columns)
        self._composer = Dummy(profile=params.profile)
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
        if not (self.link.answers_status and self.params.status_check):
            if body:
                self.link.escpos._raw(body)
            return
        status, answered = self._query_status(body)
        if not status.known:
            if answered:
                raise PrinterStatusUnreadable()
            what = "stopped answering during the receipt" if during_job else "did not answer"
            raise PrinterTimeout(self.params.timeout_s, what)
        status.raise_if_not_ready(during_job)

    # --- jobs -------------------------------------------------------------------------------
    def print_lines(self, lines: Sequence[Line]) -> None:
        sending = False
        try:
            with self._talking():
                self._composer.clear()
                render_lines(lines, self._composer, self.font)
                body = self._composer.output  # one write: no small-packet delays on TCP
                self._send_checked()
                sending = True
                self._send_checked(body)
        except PrinterError as exc:
            exc.may_have_printed = sending
            raise

    def kick_drawer(self, pin: int = 2, on_ms: int = 100, off_ms: int = 200) -> None:
        if pin not in (2, 5):
            raise ValueError("the drawer kick pin is 2 or 5")
        with self._talking():
            self._send_checked()
            self._composer.clear()
            self._composer.cashdraw((27, ord("p"), 0 if pin == 2 else 1, on_ms // 2, off_ms // 2))
            self._send_checked(self._composer.output)

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
            raise PrinterTimeout(self.params.timeout_s, "did not take the data") from exc
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


def render_lines(lines: Sequence[Line], printer: Escpos, font: str = "a") -> None:
    """Drive ``printer`` with ``lines``, after a reset (ESC @) to plain text in ``font``."""
    printer.hw("INIT")  # ESC @: the printer is back on code page 0 with plain text
    printer.magic = MagicEncode(printer, encoder=printer.magic.encoder)
    printer.set(font=font, align="left", bold=False, normal_textsize=True)
    for line in lines:
        if isinstance(line, Text):
            if line.size > 1:
                printer.set(custom_size=True, width=line.size, height=line.size)
            else:
                printer.set(normal_textsize=True)  # ESC ! 0, which also selects font A
            printer.set(align=line.align, bold=line.bold, font=font)
            printer.textln(line.text)
        elif isinstance(line, Logo):
            printer.set(align="center")
            printer.image(str(line.path), impl="bitImageRaster", center=False)
        elif isinstance(line, Code):
            printer.set(align="center", normal_textsize=True, bold=False, font=font)
            if line.kind == "qr":
                printer.qr(line.content, native=True, size=6)
            else:
                # _hw_barcode: barcode() in 3.1 prints "Using hardware barcode renderer" to stdout
                printer._hw_barcode(
                    "{B" + line.content, "CODE128", height=60, width=2, function_type="B"
                )
        elif isinstance(line, Feed):
            printer.ln(line.lines)
        elif isinstance(line, Cut):
            printer.cut()


def make_printer(params: PrinterParams) -> LinePrinter:
    """The printer ``params.url`` names, not yet opened; ``BadParameter`` for a bad one."""
    return EscposPrinter(make_link(params), params)


__all__ = ["EscposPrinter", "make_printer", "render_lines"]
