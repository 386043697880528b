"""A cashier's transaction through the real widgets: log in, open the drawer, scan a stub,
add a second account found by name, pay by check and cash, see the change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.scanline import make_scanline
from counter_app.services import lookup
from counter_app.services.context import Context
from counter_app.ui.application import apply_style
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.count_dialog import OpenDrawerDialog
from counter_app.ui.login_dialog import LoginDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.tender_dialog import TenderDialog
from tests.town import Town
from tests.ui.conftest import screenshot

WAIT = 10_000


def _login(qtbot: QtBot, ctx: Context, name: str, password: str) -> LoginDialog:
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, name)
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    return dialog


def test_wrong_password_shows_the_error_and_lockout_names_the_minutes(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    dialog = _login(qtbot, ctx, "maria", "nope")
    qtbot.waitUntil(lambda: dialog.error.text() == "Wrong username or password", timeout=WAIT)
    for _ in range(4):
        qtbot.keyClicks(dialog.password, "nope")
        qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.button.isEnabled(), timeout=WAIT)
    assert "locked out for 15 minutes" in dialog.error.text()
    assert dialog.user is None


def _tender(qtbot: QtBot, window: MainWindow, key: Qt.Key, amount: str, number: str = "") -> None:
    qtbot.keyClick(window, key)
    dialog = window.dialog
    assert isinstance(dialog, TenderDialog)
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, amount)
    if number:
        qtbot.keyClicks(dialog.reference, number)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)


def test_scan_add_by_name_pay_check_and_cash_and_see_the_change(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    # The town's cashier has W02's drawer open; the supervisor works the next window.
    ctx = Context(ctx.db, ctx.settings.model_copy(update={"station": "W03"}), ctx.clock)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_style(app)
    login = _login(qtbot, ctx, "sam", "supervisor123")
    qtbot.waitUntil(lambda: login.user is not None, timeout=WAIT)
    screenshot(login, "login", ctx.db.dialect)

    opening = OpenDrawerDialog(ctx, login.user)
    qtbot.addWidget(opening)
    opening.show()
    qtbot.keyClicks(opening.grid.fields["20"], "5")
    qtbot.keyClicks(opening.grid.fields["1"], "25")
    qtbot.keyClicks(opening.grid.fields["0.25"], "40")
    assert opening.total.text() == "Float $135.00"
    screenshot(opening, "drawer-open", ctx.db.dialect)
    qtbot.keyClicks(opening.grid.fields["5"], "x")
    assert "whole number" in opening.error.text()
    opening.grid.fields["5"].clear()
    qtbot.mouseClick(opening.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: opening.session is not None, timeout=WAIT)

    window = MainWindow(ctx, login.user, opening.session)
    qtbot.addWidget(window)
    window.show()
    stub = make_scanline("010002-01", Money.parse("212.55"), ctx.settings.scanline)
    qtbot.keyClicks(window.search, stub)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Stub scanned" in window.message.text(), timeout=WAIT)
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.lines) == 1, timeout=WAIT)
    assert window.cart.lines[0].amount == Money.parse("212.55")
    assert window.panel.table.item(0, 4).text() == "stops shut-off"

    qtbot.keyClicks(window.search, "john smith")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.results.count() > 0, timeout=WAIT)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.focusWidget() is window.results
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.lines) == 2, timeout=WAIT)
    item = window.panel.table.item(1, 3)
    item.setText("84.10")  # the customer pays part of John's $104.10
    assert window.cart.total == Money.parse("296.65")

    _tender(qtbot, window, Qt.Key.Key_F6, "200.00", "1043")
    _tender(qtbot, window, Qt.Key.Key_F5, "100.00")
    assert window.panel.change.text() == "CHANGE 3.35"
    qtbot.waitUntil(lambda: "ACCOUNT" in window.detail.text(), timeout=WAIT)
    screenshot(window, "counter", ctx.db.dialect)

    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # Enter on an empty Find completes
    qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
    change = window.dialog
    assert isinstance(change, ChangeDueDialog)
    assert change.change.text() == "CHANGE $3.35"
    screenshot(change, "change-due", ctx.db.dialect)
    assert window.last_receipt is not None
    assert window.last_receipt.total == Money.parse("296.65")
    assert window.cart.is_empty
    qtbot.waitUntil(lambda: "No receipt printer" in window.printer_status.text(), timeout=WAIT)
    assert window.printer_status.property("state") == "bad"
    qtbot.keyClick(change, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not change.isVisible(), timeout=WAIT)
    assert window.focusWidget() is window.search
    assert lookup.get_account(ctx, "010002-01").status.value == "active"
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("20.00")


def test_checks_are_refused_on_the_screen_for_a_flagged_account(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    from counter_app.services import drawer

    window = MainWindow(ctx, town.cashier, drawer.current_session(ctx, town.cashier.id))
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.search, "004410-02")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.results.count() == 1, timeout=WAIT)
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.lines) == 1, timeout=WAIT)
    _tender(qtbot, window, Qt.Key.Key_F6, "50.00", "88")
    assert "cash or certified funds" in window.message.text()
    assert window.cart.tenders == []


def test_a_locked_screen_opens_only_with_the_cashiers_password(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    from counter_app.services import drawer

    window = MainWindow(ctx, town.cashier, drawer.current_session(ctx, town.cashier.id))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.dialog, LoginDialog), timeout=WAIT)
    lock = window.dialog
    assert not window.centralWidget().isVisible()
    qtbot.keyClicks(lock.password, "wrong")
    qtbot.mouseClick(lock.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Wrong" in lock.error.text(), timeout=WAIT)
    assert not window.centralWidget().isVisible()
    qtbot.keyClicks(lock.password, "cashier123")
    qtbot.mouseClick(lock.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.centralWidget().isVisible(), timeout=WAIT)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0.005", "more than two decimal places"),
        ("12..0", "is not an amount"),
        ("", "Enter an amount"),
        ("0", "more than zero"),
        ("1e3", "is not an amount"),
    ],
)
def test_money_entry_rejects_what_is_not_exact_and_adds_nothing(
    qtbot: QtBot, typed: str, message: str
) -> None:
    dialog = TenderDialog(TenderKind.CASH, Money(8410))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.amount.text() == "84.10"
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, typed)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert message in dialog.error.text()
    assert dialog.tender is None and dialog.isVisible()
