"""Every cash movement leaves paper in the drawer: a slip with what, how much, why, who, and
the supervisor who approved it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.services import sessions
from counter_app.ui.action_dialogs import MovementDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from tests.helpers import WAIT, Station, Town, approve, opened, printed_jobs, show_window

CTRL = Qt.KeyboardModifier.ControlModifier


def _move(qtbot: QtBot, window: MainWindow, key: Qt.Key, amount: str, reason: str) -> None:
    qtbot.keyClick(window, key, CTRL)
    form = opened(qtbot, window, MovementDialog)
    if amount:
        qtbot.keyClicks(form.amount, amount)
    qtbot.keyClicks(form.reason, reason)
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)


def test_paid_in_paid_out_and_no_sale_each_print_a_slip(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    ctx = station.ctx
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session, station.devices))
    _move(qtbot, window, Qt.Key.Key_I, "20.00", "change fund from the safe")
    paid_in = printed_jobs(qtbot, station.printer, 1)[0].text
    for text in ("PAID-IN", "$20.00", "Reason: change fund from the safe", "Maria Lopez"):
        assert text in paid_in, text
    assert "Approved by" not in paid_in

    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    _move(qtbot, window, Qt.Key.Key_O, "40.00", "postage")
    approve(qtbot, opened(qtbot, window, OverrideDialog), "sam", "supervisor123")
    paid_out = printed_jobs(qtbot, station.printer, 2)[1].text
    assert "$40.00" in paid_out and "Sam Ortega" in paid_out and "Signature ___" in paid_out

    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    _move(qtbot, window, Qt.Key.Key_N, "", "change for the parking meter")
    no_sale = printed_jobs(qtbot, station.printer, 3)[2].text
    assert "Reason: change for the parking meter" in no_sale and "Amount" not in no_sale
