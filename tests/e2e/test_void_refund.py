"""Voiding a cash payment hands the cash back: a refund screen and the drawer opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.services import sessions
from counter_app.ui.action_dialogs import ReceiptPickDialog
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from tests.helpers import (
    WAIT,
    Station,
    Town,
    approve,
    cash,
    check,
    opened,
    pay,
    printed_jobs,
    show_window,
)


def _void_first_receipt(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F4)
    pick = opened(qtbot, window, ReceiptPickDialog)
    qtbot.mouseClick(pick.button, Qt.MouseButton.LeftButton)
    approve(qtbot, opened(qtbot, window, OverrideDialog), "sam", "supervisor123")


def test_voiding_a_cash_payment_shows_the_refund_and_opens_the_drawer(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    ctx = station.ctx
    posted = pay(ctx, town, [("001234-01", "100.00")], [cash("100.00")])
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session, station.devices))
    _void_first_receipt(qtbot, window)
    refund = opened(qtbot, window, ChangeDueDialog)
    assert refund.change.text() == "REFUND $100.00 CASH"
    assert refund.next_step.text().startswith("Give back $100.00 cash")
    qtbot.waitUntil(lambda: station.drawer.pops == 1, timeout=WAIT)  # opened for the refund
    slip = printed_jobs(qtbot, station.printer, 1)[0]
    assert "VOID" in slip.text and posted.receipt.number in slip.text


def test_voiding_a_check_payment_gives_no_cash_and_leaves_the_drawer_shut(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    ctx = station.ctx
    pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "1043")])
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session, station.devices))
    _void_first_receipt(qtbot, window)
    qtbot.waitUntil(lambda: "VOID" in window.message.text(), timeout=WAIT)
    printed_jobs(qtbot, station.printer, 1)
    assert not isinstance(window.dialog, ChangeDueDialog)
    assert station.drawer.pops == 0
