"""A counter runs all day: the dialogs each payment opens go away again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from counter_app.domain.money import Money
from counter_app.services import lookup, sessions
from counter_app.services.context import Context
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.tender_dialog import TenderDialog
from tests.helpers import WAIT, Town, opened, show_window

PAYMENTS = 200


def _live_dialogs(window: MainWindow) -> int:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return len(window.findChildren(QDialog))


def _pay_fifty_cents_cash(qtbot: QtBot, window: MainWindow, ctx: Context) -> None:
    window.checkout.add_account(lookup.get_account(ctx, "001234-01"), Money.parse("0.50"))
    qtbot.keyClick(window, Qt.Key.Key_F5)
    tender = opened(qtbot, window, TenderDialog)
    qtbot.keyClick(tender.amount, Qt.Key.Key_Return)
    before = window.last_receipt
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.last_receipt is not before, timeout=WAIT)
    change = opened(qtbot, window, ChangeDueDialog)
    qtbot.keyClick(change, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None and window.isActiveWindow(), timeout=WAIT)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # dialogs, not the database
def test_two_hundred_payments_leave_no_more_dialogs_alive_than_one(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session))
    _pay_fifty_cents_cash(qtbot, window, ctx)
    after_one = _live_dialogs(window)
    for _ in range(PAYMENTS - 1):
        _pay_fifty_cents_cash(qtbot, window, ctx)
    assert _live_dialogs(window) == after_one <= 2  # the last tender and change-due screens
    assert window.last_receipt is not None and window.last_receipt.number.endswith("0200")
