"""What each device is told: plain, frozen parameter objects.

The app maps its settings onto these (``counter_app.app``); ``drivers/`` never reads the app's
settings. Values are checked where they are used: a bad one raises ``errors.BadParameter``
naming the field, which the app turns into a message naming its setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DrawerBackend = Literal["printer", "serial", "none"]
SensorLine = Literal["CTS", "RI", "DSR", "CD", "none"]
PrinterSensor = Literal["pin3", "none"]
Level = Literal["high", "low"]


@dataclass(frozen=True)
class PrinterParams:
    """A receipt printer: where it is and how to talk to it.

    ``url`` is ``tcp://host:9100``, ``serial:///dev/ttyS0?baudrate=19200``, ``usb://VID:PID``,
    ``file:///dev/usb/lp0`` or ``dummy:``. ``columns`` is the width jobs are laid out for: font
    A, or font B when only B fits it on ``profile``. ``status_check``: ask for the real-time
    status (DLE EOT) before and after each job on tcp and serial.
    """

    url: str = "dummy:"
    profile: str = "TM-T88V"
    columns: int = 42
    timeout_s: float = 3.0
    status_check: bool = True


@dataclass(frozen=True)
class DrawerParams:
    """A cash drawer: kicked by the printer, on its own serial port, or none.

    Printer kick: ``pin`` 2 or 5 pulsed ``pulse_on_ms`` / ``pulse_off_ms``, sensor
    ``printer_sensor``. Serial: any pyserial ``url`` at ``baudrate``, popped by
    ``open_sequence``, sensor on ``sensor_line``. Either sensor reads "open" at
    ``sensor_open_when``; ``timeout_s`` is how long it may take to say so (and the port's
    timeout). ``require_closed``: the next customer waits until the drawer is closed.
    """

    backend: DrawerBackend = "printer"
    pin: int = 2
    pulse_on_ms: int = 100
    pulse_off_ms: int = 200
    url: str = ""
    baudrate: int = 9600
    open_sequence: bytes = b"\x07"
    sensor_line: SensorLine = "CTS"
    printer_sensor: PrinterSensor = "pin3"
    sensor_open_when: Level = "high"
    require_closed: bool = False
    timeout_s: float = 1.0
