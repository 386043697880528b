"""Commands: printer test, drawer test — diagnostics for the station's hardware.

They need only the settings (no database) and build the devices through ``app.py``. A device
that is not there is a ``DriverError`` (no drawer configured: a ``ConfigError``): the message
is printed and the command exits 1.
"""

from __future__ import annotations

import argparse

from counter_app.app import receipt_printer, station_devices
from counter_app.config import load_settings
from counter_app.domain.errors import ConfigError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    printer = sub.add_parser("printer", help="receipt printer diagnostics")
    printer_cmds = printer.add_subparsers(dest="printer", required=True)
    test = printer_cmds.add_parser("test", help="show the printer's status and print a test page")
    test.add_argument("--status-only", action="store_true", help="do not print a page")
    test.set_defaults(handler=_printer_test)

    drawer = sub.add_parser("drawer", help="cash drawer diagnostics")
    drawer_cmds = drawer.add_subparsers(dest="drawer", required=True)
    drawer_cmds.add_parser("test", help="open the cash drawer and show its state").set_defaults(
        handler=_drawer_test
    )


def _printer_test(args: argparse.Namespace) -> int:
    settings = load_settings()
    printer = receipt_printer(settings.printer, tz=settings.zone, office_name=settings.office.name)
    printer.open()
    try:
        print(f"Printer at {settings.printer.url}: {printer.status().summary}")
        if not args.status_only:
            printer.print_test_page()
            print("Test page printed: check the accents, the ruler and the cut.")
    finally:
        printer.close()
    return 0


def _drawer_test(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.drawer.backend == "none":
        raise ConfigError(
            "Cash drawer: no cash drawer configured (drawer.backend = none) — set "
            "drawer.backend (COUNTER_DRAWER__BACKEND) to printer or serial"
        )
    devices = station_devices(settings)
    printer = devices.printer if devices.drawer_via_printer else None
    drawer = devices.drawer
    try:
        if printer is not None:
            printer.open()
        drawer.connect()
        drawer.open()
        state = drawer.is_open()
        shown = {True: "open", False: "closed", None: "unknown (no sensor reading)"}[state]
        print(f"Cash drawer ({settings.drawer.backend}): open signal sent; sensor: {shown}")
    finally:
        drawer.close()
        if printer is not None:
            printer.close()
    return 0
