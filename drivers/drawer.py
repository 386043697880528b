"""The cash drawer: the backends of ``interfaces.CashDrawer``.

* ``printer``: kicked by the receipt printer (ESC p on pin 2 or 5); its sensor is the switch on
  the kick-out connector's pin 3, which the printer reports as bit 2 of its DLE EOT 1 reply
  (``printer_sensor = "pin3"``, or ``"none"`` for a drawer without a switch).
* ``serial``: a drawer with its own RS-232 interface (APG SerialPRO, MMF Multi-Serial). The
  port is any pyserial URL (``/dev/ttyS1``, ``rfc2217://host:port``, ``loop://``); DTR and RTS
  are held high while connected, the open sequence (default BEL) pops it, and the sensor is
  read from a modem line (``sensor_line``: CTS, RI, DSR or CD).
* ``none``: no drawer.

Either sensor reads "open" at ``sensor_open_when``. ``connect()`` explicitly (nothing connects
by itself), then ``open()``: it sends the open signal, then waits up to ``params.timeout_s``
while the sensor says *closed* and raises ``DrawerDidNotOpen`` if it never says open, so the
cashier can try again. A sensor that cannot tell (no sensor; a dummy, USB or file printer that
gives no status) means "kicked, state unknown": no error.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import Any

import serial

from drivers.errors import (
    BadParameter,
    DrawerDidNotOpen,
    DrawerNotConnected,
    DrawerStillOpen,
    PrinterError,
)
from drivers.interfaces import CashDrawer, LinePrinter
from drivers.params import DrawerParams

POLL_S = 0.02  # how often open() looks at the sensor while waiting


def drawer_is_closed_or_unknown(drawer: CashDrawer) -> bool:
    """True unless the sensor says the drawer is open (for "close the drawer first")."""
    return drawer.is_open() is not True


class _SensedDrawer(ABC):
    """Shared by the drawers with a sensor: pop, then wait for the sensor to agree."""

    params: DrawerParams

    @property
    def requires_closed(self) -> bool:
        return self.params.require_closed

    def check_closed(self) -> None:
        """Raise ``DrawerStillOpen`` when ``require_closed`` is on and the drawer is open."""
        if self.requires_closed and self.is_open() is True:
            raise DrawerStillOpen()

    @property
    @abstractmethod
    def has_sensor(self) -> bool:
        """False when the parameters say this drawer has no open/closed switch."""

    def _reads_open(self, level_high: bool) -> bool:
        return level_high == (self.params.sensor_open_when == "high")

    @abstractmethod
    def _pop(self) -> None:
        """Send the drawer its open signal."""

    @abstractmethod
    def is_open(self) -> bool | None:
        """The sensor's reading (see ``CashDrawer.is_open``)."""

    def open(self) -> None:
        """Pop the drawer; raise ``DrawerDidNotOpen`` only when the sensor keeps saying closed."""
        self._pop()
        deadline = time.monotonic() + self.params.timeout_s
        while (state := self.is_open()) is False and time.monotonic() < deadline:
            time.sleep(POLL_S)
        if state is False:
            raise DrawerDidNotOpen(self.params.timeout_s)


class PrinterKickDrawer(_SensedDrawer):
    """A drawer on the printer's kick-out connector."""

    def __init__(self, printer: LinePrinter, params: DrawerParams) -> None:
        self.printer = printer
        self.params = params

    def connect(self) -> None:
        """The printer's owner opens the printer; there is nothing more to connect."""

    def close(self) -> None:
        """The printer's owner closes the printer."""

    @property
    def has_sensor(self) -> bool:
        return self.params.printer_sensor != "none"

    def _pop(self) -> None:
        try:
            self.printer.kick_drawer(
                self.params.pin, self.params.pulse_on_ms, self.params.pulse_off_ms
            )
        except PrinterError as exc:
            raise DrawerNotConnected("the receipt printer", str(exc)) from exc

    def is_open(self) -> bool | None:
        if not self.has_sensor:
            return None
        try:
            pin3_high = self.printer.status().drawer_pin3_high
        except PrinterError as exc:
            raise DrawerNotConnected("the receipt printer", str(exc)) from exc
        return None if pin3_high is None else self._reads_open(pin3_high)


_LINES = {"CTS": "cts", "RI": "ri", "DSR": "dsr", "CD": "cd"}


class SerialDrawer(_SensedDrawer):
    """A drawer with its own serial interface, on any pyserial URL."""

    def __init__(self, params: DrawerParams) -> None:
        self.params = params
        self._port: serial.SerialBase | None = None

    def connect(self) -> None:
        if self._port is not None:
            return
        timeout = self.params.timeout_s
        # a stuck port must not hang the kick; pyserial's RFC 2217 client refuses a write
        # timeout but bounds its socket writes itself (5 s)
        limits: dict[str, Any] = {"timeout": timeout}
        if not self.params.url.startswith("rfc2217:"):
            limits["write_timeout"] = timeout
        try:
            port = serial.serial_for_url(self.params.url, baudrate=self.params.baudrate, **limits)
            port.dtr = True  # the interface takes its power / "ready" from DTR and RTS
            port.rts = True
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DrawerNotConnected(self.params.url, _first_line(exc)) from exc
        self._port = port

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                return  # already gone; nothing left to release

    @property
    def has_sensor(self) -> bool:
        return self.params.sensor_line != "none"

    @property
    def port(self) -> serial.SerialBase:
        if self._port is None:
            raise DrawerNotConnected(self.params.url, "not connected; connect the drawer first")
        return self._port

    def _pop(self) -> None:
        port = self.port
        try:
            port.write(self.params.open_sequence)
            port.flush()
        except (serial.SerialException, OSError) as exc:
            self.close()
            raise DrawerNotConnected(self.params.url, _first_line(exc)) from exc

    def is_open(self) -> bool | None:
        if not self.has_sensor:
            return None
        port = self.port
        try:
            level = bool(getattr(port, _LINES[self.params.sensor_line]))
        except (serial.SerialException, OSError) as exc:
            self.close()
            raise DrawerNotConnected(self.params.url, _first_line(exc)) from exc
        return self._reads_open(level)


class NoDrawer:
    """No drawer at this station: opening does nothing and the state is unknown."""

    requires_closed = False

    def check_closed(self) -> None:
        """Nothing to check: no drawer, no sensor."""

    def connect(self) -> None:
        """Nothing to connect."""

    def close(self) -> None:
        """Nothing to release."""

    def open(self) -> None:
        """Nothing to open: the cash goes wherever the office keeps it."""

    def is_open(self) -> bool | None:
        return None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def make_drawer(params: DrawerParams, printer: LinePrinter | None) -> CashDrawer:
    """The drawer ``params.backend`` names, not yet connected; ``BadParameter`` when it
    lacks what it needs (a printer to kick it, a port)."""
    if params.backend == "printer":
        if printer is None:
            raise BadParameter(
                "backend",
                "printer, but there is no receipt printer: set a printer URL or choose serial "
                "or none",
            )
        return PrinterKickDrawer(printer, params)
    if params.backend == "serial":
        if not params.url:
            raise BadParameter(
                "url", "empty; name the drawer's port, like /dev/ttyS1 or rfc2217://127.0.0.1:2217"
            )
        return SerialDrawer(params)
    return NoDrawer()


__all__ = [
    "NoDrawer",
    "PrinterKickDrawer",
    "SerialDrawer",
    "drawer_is_closed_or_unknown",
    "make_drawer",
]
