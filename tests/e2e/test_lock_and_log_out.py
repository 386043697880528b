"""The locked screen cannot be got round, and logging out goes back to the login window."""

from __future__ import annotations

import gc

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter_app.db.models import CashMovement
from counter_app.services import sessions
from counter_app.services.context import Context
from counter_app.ui.action_dialogs import MovementDialog
from counter_app.ui.application import CounterFlow
from counter_app.ui.count_dialog import OpenDrawerDialog
from counter_app.ui.devices import Devices
from counter_app.ui.end_of_day_dialog import EndOfDayDialog
from counter_app.ui.login_dialog import LockDialog
from counter_app.ui.main_window import MainWindow
from tests.helpers import (
    WAIT,
    Station,
    Town,
    find_and_add,
    keep_drawer_open,
    show_window,
    submit,
    tender,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def _movements(ctx: Context) -> int:
    with ctx.db.read() as s:
        return s.execute(select(func.count()).select_from(CashMovement)).scalar_one()


def _lock(qtbot: QtBot, window: MainWindow) -> LockDialog:
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: isinstance(window.dialog, LockDialog), timeout=WAIT)
    assert isinstance(window.dialog, LockDialog)
    return window.dialog


def test_esc_does_not_unlock_and_no_key_works_until_the_password_is_entered(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    ctx = station.ctx
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session, station.devices))
    lock = _lock(qtbot, window)
    assert not window.centralWidget().isVisible()

    qtbot.keyClick(lock, Qt.Key.Key_Escape)
    lock.close()
    assert lock.isVisible() and "enter your password" in lock.error.text()
    for key, modifier in (
        (Qt.Key.Key_N, CTRL),
        (Qt.Key.Key_F12, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier),
    ):
        qtbot.keyClick(window, key, modifier)
    assert window.dialog is lock and not window.menu.isVisible()
    assert not any(action.isEnabled() for action in window.key_actions)
    station.devices.wait()
    assert _movements(ctx) == 0 and station.drawer.pops == 0
    assert not window.centralWidget().isVisible()

    qtbot.keyClicks(lock.password, "wrong")
    submit(qtbot, lock)
    qtbot.waitUntil(lambda: "Wrong" in lock.error.text(), timeout=WAIT)
    assert not window.centralWidget().isVisible()
    qtbot.keyClicks(lock.password, "cashier123")
    submit(qtbot, lock)
    qtbot.waitUntil(lambda: window.centralWidget().isVisible(), timeout=WAIT)
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)  # unlocked: the keys work again
    assert isinstance(window.dialog, MovementDialog)


def _flow(qtbot: QtBot, ctx: Context, flows: list[CounterFlow]) -> tuple[CounterFlow, list[str]]:
    quits: list[str] = []
    flow = CounterFlow(ctx, Devices(None, None), lambda: quits.append("quit"))
    flows.append(flow)
    login = flow.show_login()
    qtbot.keyClicks(login.username, "maria")
    qtbot.keyClicks(login.password, "cashier123")
    submit(qtbot, login)
    qtbot.waitUntil(lambda: flow.window is not None and flow.window.isVisible(), timeout=WAIT)
    assert flow.window is not None
    flow.window.activateWindow()
    qtbot.waitUntil(flow.window.isActiveWindow, timeout=WAIT)
    return flow, quits


def test_log_out_goes_back_to_the_login_window(
    qtbot: QtBot, ctx: Context, town: Town, flows: list[CounterFlow]
) -> None:
    flow, quits = _flow(qtbot, ctx, flows)
    window, first_login = flow.window, flow.login
    assert window is not None
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    keep_drawer_open(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert flow.login is not first_login and flow.login is not None
    assert flow.login.isVisible() and flow.login.username.text() == ""
    assert quits == []
    qtbot.keyClick(flow.login, Qt.Key.Key_Escape)  # dismissing the login ends the program
    assert quits == ["quit"]


def test_log_out_with_tenders_entered_asks_first_and_keeps_them_on_no(
    qtbot: QtBot, ctx: Context, town: Town, flows: list[CounterFlow]
) -> None:
    flow, _quits = _flow(qtbot, ctx, flows)
    window = flow.window
    assert window is not None
    find_and_add(qtbot, window, "001234-01")
    tender(qtbot, window, Qt.Key.Key_F5, "20.00")
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    box = window.dialog
    assert isinstance(box, QMessageBox) and "Tenders are entered" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert window.isVisible() and len(window.cart.tenders) == 1
    window.close()  # the window's close button does not drop the tenders either
    assert window.isVisible() and "log out with Ctrl+Q" in window.message.text()

    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    box = window.dialog
    assert isinstance(box, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    keep_drawer_open(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert flow.login is not None and flow.login.isVisible()


def test_once_the_counter_is_up_its_start_up_objects_are_kept_out_of_full_collections(
    qtbot: QtBot, ctx: Context, town: Town, flows: list[CounterFlow]
) -> None:
    gc.unfreeze()
    flow, _quits = _flow(qtbot, ctx, flows)
    assert flow.window is not None
    assert gc.get_freeze_count() > 10_000  # modules, Qt wrappers, SQLAlchemy metadata…


def test_a_supervisor_without_a_drawer_goes_to_the_end_of_day_screen_and_a_cashier_cannot(
    qtbot: QtBot, ctx: Context, town: Town, flows: list[CounterFlow]
) -> None:
    flow = CounterFlow(ctx, Devices(None, None), lambda: None)
    flows.append(flow)
    login = flow.show_login()
    qtbot.keyClicks(login.username, "sam")
    qtbot.keyClicks(login.password, "supervisor123")
    submit(qtbot, login)
    qtbot.waitUntil(lambda: isinstance(flow.screen, OpenDrawerDialog), timeout=WAIT)
    opening = flow.screen
    assert isinstance(opening, OpenDrawerDialog)
    (supervise,) = [
        b for b in opening.findChildren(QPushButton) if b.text().startswith("Supervise")
    ]
    qtbot.mouseClick(supervise, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.window is not None and flow.window.isVisible(), timeout=WAIT)
    window = flow.window
    assert window is not None and window.session is None  # no drawer opened for it
    qtbot.waitUntil(lambda: isinstance(window.dialog, EndOfDayDialog), timeout=WAIT)
    assert sessions.current_session(ctx, town.supervisor.id) is None

    cashiers = OpenDrawerDialog(ctx, town.cashier)
    qtbot.addWidget(cashiers)
    assert not [b for b in cashiers.findChildren(QPushButton) if b.text().startswith("Supervise")]
