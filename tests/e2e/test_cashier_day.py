"""A cashier's day through the real widgets, with the printer and drawer simulators: log in,
open the drawer, scan a stub, add a second account found by name, type its amount, pay by
check and cash, see the change, the receipt the simulator decoded and the drawer pop; then a
supervisor voids that receipt and the balances come back on the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.scanline import make_scanline
from counter_app.domain.users import Role
from counter_app.services import lookup, users
from counter_app.services.context import Context
from counter_app.ui.action_dialogs import ReceiptPickDialog
from counter_app.ui.application import apply_style
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.count_dialog import OpenDrawerDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.tender_dialog import TenderDialog
from counter_app.ui.widgets.account_view import NO_ACCOUNT
from drivers.sim.drawer import DrawerSimulator
from drivers.sim.printer import PrinterSimulator
from tests.helpers import (
    WAIT,
    Town,
    add_first_result,
    approve,
    cashier_window,
    find,
    find_and_add,
    login,
    printed_jobs,
    screenshot,
    show_window,
    station_for,
    submit,
    tender,
    type_amount,
    with_settings,
)


def _balance_on_screen(qtbot: QtBot, window: MainWindow, number: str) -> str:
    """Find the account and read the balance the account view shows."""
    find(qtbot, window, number)
    qtbot.waitUntil(lambda: f"ACCOUNT {number}" in window.detail.text(), timeout=WAIT)
    text = window.detail.text()
    return text.split("Balance ", 1)[1].split("<", 1)[0]


def test_wrong_password_shows_the_error_and_lockout_names_the_minutes(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    dialog = login(qtbot, ctx, "maria", "nope")
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.error.text() == "Wrong username or password", timeout=WAIT)
    for _ in range(4):
        qtbot.keyClicks(dialog.password, "nope")
        submit(qtbot, dialog)
        qtbot.waitUntil(lambda: dialog.button.isEnabled(), timeout=WAIT)
    assert "locked out for 15 minutes" in dialog.error.text()
    assert dialog.user is None


def test_caps_lock_is_flagged_from_the_letters_typed(qtbot: QtBot, ctx: Context) -> None:
    dialog = login(qtbot, ctx, "maria", "")
    qtbot.keyClicks(dialog.password, "C")  # a capital without Shift: Caps Lock is on
    assert dialog.caps.text() == "Caps Lock is on"
    qtbot.keyClicks(dialog.password, "a")
    assert dialog.caps.text() == ""
    qtbot.keyClicks(dialog.password, "B", Qt.KeyboardModifier.ShiftModifier)
    assert dialog.caps.text() == ""
    qtbot.keyClicks(dialog.password, "b", Qt.KeyboardModifier.ShiftModifier)
    assert dialog.caps.text() == "Caps Lock is on"


def test_scan_add_by_name_pay_check_and_cash_print_pop_the_drawer_and_void_it(
    qapp: QApplication,
    qtbot: QtBot,
    ctx: Context,
    town: Town,
    printer_sim: PrinterSimulator,
    drawer_sim: DrawerSimulator,
) -> None:
    # The town's cashier has W02's drawer open; a second cashier works the next window, and the
    # supervisor comes over for the void (nobody approves their own void).
    users.add_user(ctx, "lee", "cashier456", Role.CASHIER, "Lee Park")
    station = station_for(
        with_settings(ctx, station="W03"),
        printer_sim,
        drawer_sim,
    )
    ctx = station.ctx
    apply_style(qapp)
    dialog = login(qtbot, ctx, "lee", "cashier456")
    assert dialog.button.isEnabled()
    screenshot(dialog, "login", ctx.db.dialect)
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.user is not None, timeout=WAIT)

    opening = OpenDrawerDialog(ctx, dialog.user)
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

    window = show_window(qtbot, MainWindow(ctx, dialog.user, opening.session, station.devices))
    assert "Station W03 · Lee Park (cashier) · Session #" in window.who.text()
    qtbot.waitUntil(lambda: window.printer_status.text() == "● Printer ready", timeout=WAIT)
    qtbot.waitUntil(lambda: window.drawer_status.text() == "● Drawer closed", timeout=WAIT)

    stub = make_scanline("010002-01", Money.parse("212.55"), ctx.settings.scanline)
    find(qtbot, window, stub)
    assert "Stub scanned: account 010002-01" in window.message.text()
    assert "stub $212.55 / balance now $252.55" in window.message.text()
    add_first_result(qtbot, window)
    # a stale stub adds the balance now; the customer pays the stub's amount (F11)
    assert window.cart.lines[0].amount == Money.parse("252.55")
    assert window.panel.table.item(0, 4).text() == "stops shut-off · stub $212.55: F11"
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.cart.lines[0].amount == Money.parse("212.55")
    assert window.panel.table.item(0, 4).text() == "stops shut-off"

    find(qtbot, window, "john smith")
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.focusWidget() is window.results
    add_first_result(qtbot, window)
    assert window.cart.lines[1].amount == Money.parse("104.10")
    type_amount(qtbot, window, "84.10")  # the customer pays part of John's $104.10
    qtbot.waitUntil(  # the panel redraws on the next turn of the event loop
        lambda: (
            window.cart.total == Money.parse("296.65")
            and window.panel.totals.total.text() == "TOTAL 296.65"
        ),
        timeout=WAIT,
    )
    assert window.panel.totals.total.text() == "TOTAL 296.65"

    tender(qtbot, window, Qt.Key.Key_F6, "200.00", "1043")
    tender(qtbot, window, Qt.Key.Key_F5, "100.00")
    assert window.panel.totals.change.text() == "CHANGE 3.35"
    find(qtbot, window, "smith")  # look at the shut-off account while the customer waits
    row = next(
        i
        for i in range(window.results.count())
        if window.results.item(i).text().startswith("010002-01")
    )
    window.results.setCurrentRow(row)
    qtbot.waitUntil(lambda: "SHUT-OFF 11/30" in window.detail.text(), timeout=WAIT)
    assert "Last bill 11/15/2026 · $40.00 open · due 12/06/2026" in window.detail.text()
    screenshot(window, "counter", ctx.db.dialect)

    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
    change = window.dialog
    assert isinstance(change, ChangeDueDialog)
    assert change.change.text() == "CHANGE $3.35"
    receipt = window.last_receipt
    assert receipt is not None and receipt.total == Money.parse("296.65")
    assert window.cart.is_empty
    job = printed_jobs(qtbot, printer_sim, 1)[0]
    assert receipt.number in job.text and job.barcodes[0].content == receipt.number
    for words in ("010002-01", "001234-01", "Check #1043", "212.55", "84.10", "3.35"):
        assert words in job.text, words
    assert job.cut and "REPRINT" not in job.text
    qtbot.waitUntil(lambda: drawer_sim.is_open, timeout=WAIT)
    qtbot.waitUntil(lambda: window.devices.retry_purpose is None, timeout=WAIT)  # it saw it open
    assert window.drawer_status.text() == "● Drawer OPEN"
    screenshot(change, "change-due", ctx.db.dialect)
    drawer_sim.close_drawer()  # the change-due screen closes with the drawer
    qtbot.waitUntil(lambda: not change.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: window.focusWidget() is window.search, timeout=WAIT)
    assert window.detail.text() == NO_ACCOUNT  # no balance from before the payment
    assert _balance_on_screen(qtbot, window, "010002-01") == "$40.00"
    assert _balance_on_screen(qtbot, window, "001234-01") == "$20.00"

    qtbot.keyClick(window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: isinstance(window.dialog, ReceiptPickDialog), timeout=WAIT)
    pick = window.dialog
    assert pick.list.item(0).text().startswith(receipt.number)
    qtbot.mouseClick(pick.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.dialog, OverrideDialog), timeout=WAIT)
    override = window.dialog
    assert (
        f"Void receipt {receipt.number}, $296.65"
        in override.findChildren(type(window.who))[0].text()
    )
    approve(qtbot, override, "maria", "cashier123")  # a cashier cannot approve
    qtbot.waitUntil(lambda: "a supervisor must approve" in override.error.text(), timeout=WAIT)
    assert lookup.get_account(ctx, "010002-01").balance == Money.parse("40.00")
    approve(qtbot, override, "sam", "supervisor123")
    qtbot.waitUntil(lambda: "VOID" in window.message.text(), timeout=WAIT)
    assert _balance_on_screen(qtbot, window, "010002-01") == "$252.55"
    assert _balance_on_screen(qtbot, window, "001234-01") == "$104.10"
    slip = printed_jobs(qtbot, printer_sim, 2)[1]
    assert "VOID" in slip.text and receipt.number in slip.text


def test_checks_are_refused_at_once_for_an_account_that_takes_no_checks(
    qapp: QApplication, qtbot: QtBot, ctx: Context, town: Town
) -> None:
    apply_style(qapp)

    window = cashier_window(qtbot, ctx, town)
    find_and_add(qtbot, window, "010002-01")
    find_and_add(qtbot, window, "004410-02")
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert window.message.text() == (
        "Cash or certified funds only: account 004410-02 does not accept checks"
    )
    assert window.dialog is None and window.cart.tenders == []
    qtbot.keyClick(window, Qt.Key.Key_F7)  # a money order is certified funds
    dialog = window.dialog
    assert isinstance(dialog, TenderDialog)
    warnings = [w.text() for w in dialog.warnings]
    assert warnings == [
        "⚠ 010002-01: SHUT-OFF 11/30 — $212.55 stops it",
        "✖ 004410-02: CHECKS NOT ACCEPTED — cash or certified funds only",
    ]
    assert dialog.warnings[0].property("level") == "warn"
    screenshot(dialog, "tender-warnings", ctx.db.dialect)


def test_an_amount_typed_wrong_is_refused_next_to_the_table(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:

    window = cashier_window(qtbot, ctx, town)
    find_and_add(qtbot, window, "001234-01")
    type_amount(qtbot, window, "12.345")
    qtbot.waitUntil(lambda: "more than two decimal places" in window.panel.error.text())
    assert window.panel.error.text().startswith("Account 001234-01:")
    assert window.cart.lines[0].amount == Money.parse("104.10")
    qtbot.waitUntil(lambda: window.panel.table.item(0, 3).text() == "104.10", timeout=WAIT)
    type_amount(qtbot, window, "50")
    qtbot.waitUntil(lambda: window.cart.total == Money.parse("50.00"), timeout=WAIT)
    assert window.panel.error.text() == ""


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
