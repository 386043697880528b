"""Midnight at the counter: everything at a station belongs to its open drawer's business
date. The header shows that date and counts that day; a drawer still open from an earlier
date is flagged at login, and the counter still opens on it."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.services import sessions
from counter_app.services.context import Context
from counter_app.ui.application import CounterFlow
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.devices import Devices
from counter_app.ui.main_window import MainWindow
from counter_app.ui.widgets.common import InfoDialog
from tests.helpers import (
    WAIT,
    Clock,
    Town,
    evening_drawer,
    find_and_add,
    keep_drawer_open,
    opened,
    show_window,
    submit,
    tender,
)

EARLIER = "Session of 11/23 still open: close it before today's work"


def _pay_on_screen(qtbot: QtBot, window: MainWindow, number: str, cash: str) -> str:
    """Add the account at its balance, tender exact cash, complete: the receipt's number."""
    before = window.last_receipt
    find_and_add(qtbot, window, number)
    tender(qtbot, window, Qt.Key.Key_F5, cash)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.last_receipt is not before, timeout=WAIT)
    qtbot.waitUntil(lambda: not window.checkout.completing, timeout=WAIT)
    if isinstance(window.dialog, ChangeDueDialog):
        qtbot.keyClick(window.dialog, Qt.Key.Key_Return)
    assert window.last_receipt is not None
    return window.last_receipt.number


def test_after_midnight_the_header_shows_the_drawers_business_date_and_counts_its_day(
    qtbot: QtBot, ctx: Context, town: Town, clock: Clock
) -> None:
    evening_drawer(ctx, town, clock)  # opened at 6 pm on 11/23; now 11:50 pm
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session))
    assert window.header.day.text() == "Business date 11/23/2026"
    assert _pay_on_screen(qtbot, window, "001234-01", "104.10") == "W02-20261123-0001"
    qtbot.waitUntil(lambda: window.header.today.text() == "Today: 1 receipts · $104.10")

    clock.advance(minutes=20)  # 12:10 am on 11/24
    assert _pay_on_screen(qtbot, window, "004410-02", "50.00") == "W02-20261123-0002"
    qtbot.waitUntil(lambda: window.header.today.text() == "Today: 2 receipts · $154.10")
    # still the drawer's day, now flagged in words as a day before the calendar's
    assert window.header.day.text() == "Business date 11/23/2026 (earlier day)"
    assert EARLIER in window.header.day.toolTip()


def _log_in(qtbot: QtBot, flow: CounterFlow) -> MainWindow:
    login = flow.show_login()
    qtbot.keyClicks(login.username, "maria")
    qtbot.keyClicks(login.password, "cashier123")
    submit(qtbot, login)

    def shown() -> bool:  # the window of this login (the last one is deleted on log out)
        w = flow.window
        return w is not None and shiboken6.isValid(w) and w.isVisible()

    qtbot.waitUntil(shown, timeout=WAIT)
    assert flow.window is not None
    return flow.window


def test_a_drawer_still_open_from_an_earlier_date_is_flagged_at_login_and_still_opens(
    qtbot: QtBot, ctx: Context, town: Town, clock: Clock, flows: list[CounterFlow]
) -> None:
    flow = CounterFlow(ctx, Devices(None, None), lambda: None)
    flows.append(flow)
    window = _log_in(qtbot, flow)  # the drawer is of today: nothing to say
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    assert window.dialog is None
    assert window.header.day.text() == "Business date 11/23/2026"
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    keep_drawer_open(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)

    clock.advance(days=1)  # 10 am on 11/24: the drawer of 11/23 was never closed
    window = _log_in(qtbot, flow)
    notice = opened(qtbot, window, InfoDialog)
    assert EARLIER in notice.text.text()
    assert window.header.day.text() == "Business date 11/23/2026 (earlier day)"
    qtbot.keyClick(notice, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None, timeout=WAIT)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    # the counter works on that drawer, and on its day, until it is closed
    assert _pay_on_screen(qtbot, window, "001234-01", "104.10") == "W02-20261123-0001"
