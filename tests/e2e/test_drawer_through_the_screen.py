"""The cash drawer seen from the counter screen, through the RFC 2217 drawer simulator:
"close the drawer first", the retry after a drawer that did not open (no new cash movement),
and the change-due screen that closes with the drawer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter_app.db.models import CashMovement, Transaction
from counter_app.domain.money import Money
from counter_app.services import lookup, sessions
from counter_app.services.context import Context
from counter_app.ui.action_dialogs import MovementDialog
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.controllers.devices import CLOSE_DRAWER_FIRST
from counter_app.ui.main_window import MainWindow
from drivers.sim.drawer import DrawerSimulator
from drivers.sim.printer import PrinterSimulator
from tests.helpers import (
    WAIT,
    Station,
    Town,
    find_and_add,
    opened,
    show_window,
    station_for,
    tender,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def _count(ctx: Context, table: type) -> int:
    with ctx.db.read() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def _window(qtbot: QtBot, station: Station, town: Town) -> MainWindow:
    session = sessions.current_session(station.ctx, town.cashier.id)
    window = MainWindow(station.ctx, town.cashier, session, station.devices)
    return show_window(qtbot, window)


def _ready_to_complete(qtbot: QtBot, window: MainWindow) -> None:
    find_and_add(qtbot, window, "001234-01")
    tender(qtbot, window, Qt.Key.Key_F5, "110.00")


def _until_the_window_reads_the_drawer_closed(qtbot: QtBot, window: MainWindow) -> None:
    """The simulator's NOTIFY-MODEMSTATE reaches pyserial's reader thread a moment after the
    drawer shuts; ask the drawer (as the status poll does) until the window has seen it."""
    for _ in range(50):
        window.devices.check()
        qtbot.wait(100)
        if window.drawer_status.text() == "● Drawer closed":
            return
    raise AssertionError(f"the window still reads {window.drawer_status.text()!r}")


def test_with_require_closed_an_open_drawer_holds_the_next_transaction(
    qtbot: QtBot,
    ctx: Context,
    town: Town,
    printer_sim: PrinterSimulator,
    drawer_sim: DrawerSimulator,
) -> None:
    station = station_for(ctx, printer_sim, drawer_sim, require_closed=True)
    window = _window(qtbot, station, town)
    drawer_sim.open_drawer()
    _ready_to_complete(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.message.text() == CLOSE_DRAWER_FIRST, timeout=WAIT)
    assert window.drawer_status.text() == "● Drawer OPEN"
    assert window.last_receipt is None and window.cart.ready
    assert _count(station.ctx, Transaction) == 0

    drawer_sim.close_drawer()
    _until_the_window_reads_the_drawer_closed(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    change = opened(qtbot, window, ChangeDueDialog)
    assert lookup.get_account(station.ctx, "001234-01").balance == Money(0)
    qtbot.waitUntil(lambda: drawer_sim.is_open, timeout=WAIT)
    qtbot.waitUntil(lambda: window.devices.retry_purpose is None, timeout=WAIT)  # it saw it open
    assert window.drawer_status.text() == "● Drawer OPEN"
    drawer_sim.close_drawer()  # the sensor closes the change-due screen
    qtbot.waitUntil(lambda: not change.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: window.drawer_status.text() == "● Drawer closed", timeout=WAIT)
    station.devices.drawer.close()  # type: ignore[union-attr]


def test_a_drawer_that_did_not_open_is_opened_again_with_ctrl_k_and_nothing_is_recorded_twice(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    window = _window(qtbot, station, town)
    station.drawer.jam()
    _ready_to_complete(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    change = opened(qtbot, window, ChangeDueDialog)
    qtbot.waitUntil(change.retry.isVisible, timeout=WAIT)
    assert "did not open within 0.5 s" in change.drawer_error.text()
    assert "the payment is posted; press Ctrl+K" in change.drawer_error.text()
    assert window.drawer_status.state == "bad"
    assert window.drawer_status.text() == "● Cash drawer: did not open within 0.5 s"
    assert station.drawer.pops == 1 and not station.drawer.is_open

    station.drawer.jam(False)
    qtbot.keyClick(change, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: station.drawer.is_open, timeout=WAIT)
    qtbot.waitUntil(lambda: not change.retry.isVisible(), timeout=WAIT)
    assert change.drawer_error.text() == "" and window.devices.retry_purpose is None
    assert _count(station.ctx, Transaction) == 1 and _count(station.ctx, CashMovement) == 0
    station.drawer.close_drawer()
    qtbot.waitUntil(lambda: not change.isVisible(), timeout=WAIT)


def test_a_no_sale_retried_with_ctrl_k_records_one_movement(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    window = _window(qtbot, station, town)
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL)
    assert "has not failed to open" in window.message.text()
    assert station.drawer.pops == 0

    station.drawer.jam()
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    dialog = opened(qtbot, window, MovementDialog)
    qtbot.keyClicks(dialog.reason, "change for the bank bag")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Ctrl+K opens it again" in window.message.text(), timeout=WAIT)
    assert _count(station.ctx, CashMovement) == 1

    station.drawer.jam(False)
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: station.drawer.is_open, timeout=WAIT)
    qtbot.waitUntil(lambda: window.drawer_status.text() == "● Drawer OPEN", timeout=WAIT)
    assert _count(station.ctx, CashMovement) == 1
    assert station.drawer.pops == 2
