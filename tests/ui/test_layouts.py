"""Every screen and dialog is legible on a 1024×700 and a 1366×768 screen: nothing cut off,
nothing pushed out of its window."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import TenderKind
from counter_app.domain.refunds import RefundMethod, refund_description, refund_subject
from counter_app.domain.sessions import MovementKind
from counter_app.services import lookup, receipts, sessions
from counter_app.services.context import Context
from counter_app.ui.action_dialogs import MovementDialog, ReceiptPickDialog, ReturnedCheckDialog
from counter_app.ui.application import apply_style
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.count_dialog import OpenDrawerDialog
from counter_app.ui.keymap import KEY_MAP_WIDTH, key_map_html
from counter_app.ui.login_dialog import LoginDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.refund_dialog import RefundDialog
from counter_app.ui.tender_dialog import TenderDialog
from counter_app.ui.widgets.common import InfoDialog
from tests.helpers import (
    WAIT,
    Town,
    add_account,
    cash,
    clipped,
    find,
    find_and_add,
    pay,
    screenshot,
    show_window,
)

SCREENS = [QSize(1024, 700), QSize(1366, 768)]
LONG_ADDRESS = "12345 North Riverside Industrial Parkway Building C"


@pytest.fixture(autouse=True)
def styled() -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_style(app)


def _disconnected(ctx: Context) -> None:
    add_account(
        ctx,
        "077777-01",
        "Vandenberghe-Okonkwo, Maximiliana",
        LONG_ADDRESS,
        status="disconnected",
        checks_not_accepted=True,
        deposit=15000,
        charges=[
            ("water", "2026-08-01", "2026-08-22", 11900, 11900),
            ("sewer", "2026-09-01", "2026-09-22", 21900, 21900),
            ("late_fee", "2026-10-01", "2026-10-22", 1500, 1500),
        ],
    )


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_counter_screen_fits_and_cuts_nothing(
    qtbot: QtBot, ctx: Context, town: Town, screen: QSize
) -> None:
    _disconnected(ctx)
    window = MainWindow(ctx, town.cashier, sessions.current_session(ctx, town.cashier.id))
    window.resize(screen)
    show_window(qtbot, window)
    find_and_add(qtbot, window, "077777-01")
    find(qtbot, window, "077777-01")
    qtbot.waitUntil(lambda: "DISCONNECTED" in window.detail.text(), timeout=WAIT)
    qtbot.wait(50)
    assert window.size() == screen
    screenshot(window, f"counter-{screen.width()}x{screen.height()}", ctx.db.dialect)
    assert clipped(window) == []


def _dialogs(ctx: Context, town: Town, parent: QWidget) -> dict[str, QDialog]:
    _disconnected(ctx)
    posted = pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    accounts = [lookup.get_account(ctx, n) for n in ("077777-01", "010002-01")]
    paid_out = MovementDialog(MovementKind.PAID_OUT, parent)
    paid_out.amount.setText("40.00")
    paid_out.submit()  # no reason: its error shows
    returned = ReturnedCheckDialog(parent)
    returned.submit()
    change = ChangeDueDialog(Money.parse("3.35"), posted.receipt, parent)
    change.drawer_failed("Drawer: no answer from rfc2217://127.0.0.1:2217 within 0.5 s")
    opening = OpenDrawerDialog(ctx, town.cashier)
    opening.grid.fields["20"].setText("1e3")
    rows = receipts.session_receipts(ctx, town.session_id)
    return {
        "refund": _refund_form(ctx, parent),
        "tender-cash": TenderDialog(TenderKind.CASH, Money.parse("353.00"), parent, accounts),
        "tender-card": TenderDialog(TenderKind.CARD, Money.parse("353.00"), parent, accounts),
        "paid-out": paid_out,
        "returned-check": returned,
        "override": OverrideDialog(
            ctx,
            town.cashier.id,
            OverrideAction.PAID_OUT,
            "paid-out 40.00",
            "Paid-out $40.00 (over the $25.00 limit without approval)",
            parent,
        ),
        "override-refund": OverrideDialog(
            ctx,
            town.cashier.id,
            OverrideAction.REFUND,
            refund_subject("020002-01", Money(13179)),
            refund_description("020002-01", Money(13179), RefundMethod.CASH),
            parent,
            cause=RefundMethod.CASH.override_cause,
            reason="Account closed: deposit back",
        ),
        "void-pick": ReceiptPickDialog(
            "Void receipt", rows, ["Wrong account", "Wrong amount"], parent, zone=dt.UTC
        ),
        "reprint-pick": ReceiptPickDialog("Reprint", rows, None, parent, any_number=True),
        "change-due": change,
        "keys": InfoDialog("Keys", key_map_html(), KEY_MAP_WIDTH, parent),
        "login": LoginDialog(ctx),
        "open-drawer": opening,
    }


def _refund_form(ctx: Context, parent: QWidget) -> RefundDialog:
    """The refund form for a closed account: its deposit and credit less the final bill."""
    add_account(
        ctx,
        "020002-01",
        "Vandenberghe-Okonkwo, Maximiliana",
        LONG_ADDRESS,
        status="closed",
        deposit=15000,
        credit=2500,
        charges=[("final_bill", "2026-11-01", "2026-11-22", 4321, 4321)],
    )
    form = RefundDialog(lookup.get_account(ctx, "020002-01"), parent)
    form.reason.setText("Account closed: deposit back")
    form.amount.setText("200.00")
    form.submit()  # over what may be refunded: its error shows
    return form


def test_every_dialog_fits_a_1024_by_700_screen_and_cuts_nothing(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    problems = {}
    for name, dialog in _dialogs(ctx, town, parent).items():
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        screenshot(dialog, f"dialog-{name}", ctx.db.dialect)
        size = dialog.frameSize()
        if size.width() > 1024 or size.height() > 700:
            problems[name] = f"{size.width()}×{size.height()} is larger than 1024×700"
        elif cut := clipped(dialog):
            problems[name] = ", ".join(cut)
        dialog.hide()
    assert problems == {}
