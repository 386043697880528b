"""End-to-end fixtures: the printer simulator on TCP, the drawer simulator on RFC 2217, and
a station (``Devices``) wired to both through the real drivers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from counter_app.services.context import Context
from counter_app.ui.application import CounterFlow, apply_style
from counter_app.ui.collector import collect_on_gui_thread
from drivers.sim.drawer import DrawerSimulator
from drivers.sim.printer import PrinterSimulator
from tests.helpers import Station, station_for


@pytest.fixture(autouse=True)
def gui_thread_collector(qapp: QApplication) -> None:
    """The counter's collector (``counter_app/ui/collector.py``): collections on the GUI
    thread's timer, none on a pool thread."""
    collect_on_gui_thread(qapp)


@pytest.fixture
def printer_sim() -> Iterator[PrinterSimulator]:
    with PrinterSimulator() as sim:
        yield sim


@pytest.fixture
def drawer_sim() -> Iterator[DrawerSimulator]:
    with DrawerSimulator() as sim:
        yield sim


@pytest.fixture
def station(
    ctx: Context, printer_sim: PrinterSimulator, drawer_sim: DrawerSimulator
) -> Iterator[Station]:
    """W02 with a network printer and a serial drawer on the simulators."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_style(app)
    made = station_for(ctx, printer_sim, drawer_sim)
    yield made
    made.devices.wait()
    assert made.devices.drawer is not None
    made.devices.drawer.close()
    assert made.devices.printer is not None
    made.devices.printer.close()


@pytest.fixture
def flows() -> Iterator[list[CounterFlow]]:
    """Flows made by a test; their windows (deleted on close) are closed at the end."""
    made: list[CounterFlow] = []
    yield made
    for flow in made:
        for widget in (flow.login, flow.window):
            if widget is not None and shiboken6.isValid(widget):
                widget.leaving = True  # type: ignore[union-attr]
                widget.close()
