"""Simulator fixtures: a printer on TCP and a pty, settings pointing at them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from counter_app.app import receipt_printer
from counter_app.printing.printer import StationPrinter
from drivers.sim.printer import PrinterSimulator
from tests.helpers import OFFICE_TZ, printer_settings


def pytest_configure(config: pytest.Config) -> None:
    # pyserial 3.5's RFC 2217 client still calls Thread.setDaemon / setName
    for name in ("setDaemon", "setName"):
        config.addinivalue_line(
            "filterwarnings", f"ignore:{name}\\(\\) is deprecated:DeprecationWarning"
        )


@pytest.fixture
def printer_sim() -> Iterator[PrinterSimulator]:
    """A printer simulator on TCP and a pty (decoding only: no job files)."""
    with PrinterSimulator(pty=True) as sim:
        yield sim


@pytest.fixture
def open_printer(printer_sim: PrinterSimulator) -> Iterator[StationPrinter]:
    """A network printer on the simulator, opened."""
    printer = receipt_printer(printer_settings(printer_sim.url), tz=OFFICE_TZ)
    printer.open()
    yield printer
    printer.close()
