"""Refunding a credit balance through the counter screen: Ctrl+U on the account shown, the
refund form, the supervisor's override, the slip, and cash handed back from the drawer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.domain.money import Money
from counter_app.services import lookup
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.refund_dialog import RefundDialog
from tests.helpers import (
    WAIT,
    Station,
    Town,
    approve,
    cashier_window,
    find,
    opened,
    printed_jobs,
    screenshot,
)

JOSE = "030000-01"  # $15.00 credit on file


def _ask_refund(qtbot: QtBot, window: MainWindow, number: str) -> RefundDialog:
    find(qtbot, window, number)
    qtbot.waitUntil(lambda: f"ACCOUNT {number}" in window.detail.text(), timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    return opened(qtbot, window, RefundDialog)


def test_a_cash_refund_asks_the_supervisor_prints_the_slip_and_hands_the_cash_back(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    ctx = station.ctx
    window = cashier_window(qtbot, ctx, town, station.devices)
    assert "Credit on file $15.00" in _account_text(qtbot, window)
    form = _ask_refund(qtbot, window, JOSE)
    assert form.amount.text() == "15.00"  # the whole credit, unless changed
    assert form.may.text() == "May be refunded: $15.00 (credit $15.00)"
    qtbot.keyClicks(form.reason, "overpaid in October")
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    override = opened(qtbot, window, OverrideDialog)
    texts = [label.text() for label in override.findChildren(type(form.may))]
    assert f"Refund $15.00 credit to {JOSE} in cash" in texts
    assert "Reason: overpaid in October" in texts  # one reason: not asked again
    approve(qtbot, override, "sam", "supervisor123")
    given = opened(qtbot, window, ChangeDueDialog)
    assert given.change.text() == "REFUND $15.00 CASH"
    assert given.next_step.text().startswith("Give back $15.00 cash")
    screenshot(given, "refund-cash", ctx.db.dialect)
    qtbot.waitUntil(lambda: station.drawer.pops == 1, timeout=WAIT)  # opened for the cash
    slip = printed_jobs(qtbot, station.printer, 1)[0].text
    for said in ("REFUND", "Cash refunded", "Approved by Sam Ortega", "Maria Lopez", JOSE):
        assert said in slip, said
    assert lookup.get_account(ctx, JOSE).credit == Money(0)
    qtbot.keyClick(given, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Credit on file" not in window.detail.text(), timeout=WAIT)
    assert f"ACCOUNT {JOSE}" in window.detail.text()  # the view shows the credit gone


def test_a_refund_by_check_prints_the_slip_and_leaves_the_drawer_shut(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    ctx = station.ctx
    window = cashier_window(qtbot, ctx, town, station.devices)
    form = _ask_refund(qtbot, window, JOSE)
    form.amount.selectAll()
    qtbot.keyClicks(form.amount, "10.00")
    form.method.setCurrentIndex(1)  # check to be issued
    qtbot.keyClicks(form.reason, "customer moving")
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    approve(qtbot, opened(qtbot, window, OverrideDialog), "sam", "supervisor123")
    slip = printed_jobs(qtbot, station.printer, 1)[0].text
    assert "Check to be issued by the office" in slip and "Cash refunded" not in slip
    qtbot.waitUntil(lambda: "Refund $10.00 to" in window.message.text(), timeout=WAIT)
    assert not isinstance(window.dialog, ChangeDueDialog)
    assert station.drawer.pops == 0
    assert lookup.get_account(ctx, JOSE).credit == Money(500)


def test_the_form_refuses_more_than_the_credit_before_asking_a_supervisor(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    window = cashier_window(qtbot, station.ctx, town, station.devices)
    form = _ask_refund(qtbot, window, JOSE)
    form.amount.selectAll()
    qtbot.keyClicks(form.amount, "20.00")
    qtbot.keyClicks(form.reason, "overpaid")
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    assert form.error.text() == (
        f"Refund $20.00 is more than account {JOSE}'s credit balance of $15.00: "
        "refund at most $15.00"
    )
    assert isinstance(window.dialog, RefundDialog)


def test_an_account_with_no_credit_balance_is_refused_at_once(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    window = cashier_window(qtbot, station.ctx, town, station.devices)
    find(qtbot, window, "001234-01")
    qtbot.waitUntil(lambda: "ACCOUNT 001234-01" in window.detail.text(), timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "no credit balance" in window.message.text(), timeout=WAIT)
    assert window.message.text() == (
        "Account 001234-01 has no credit balance to refund: it owes $104.10"
    )
    assert window.dialog is None


def test_with_no_account_shown_the_refund_key_says_to_find_one(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    window = cashier_window(qtbot, station.ctx, town, station.devices)
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert window.message.text() == "Find the account first: the refund is for the account shown"


def _account_text(qtbot: QtBot, window: MainWindow) -> str:
    find(qtbot, window, JOSE)
    qtbot.waitUntil(lambda: f"ACCOUNT {JOSE}" in window.detail.text(), timeout=WAIT)
    return window.detail.text()
