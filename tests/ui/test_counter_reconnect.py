"""Paying what restores service at the counter, as a cashier does it (issue 9, item 1): F10
sets what restores service, F5 and F9 take it, and the account then shows RECONNECT
ORDERED, asks no further fee, and the receipt names the turn-on order."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.domain.money import Money
from counter_app.printing.layout import ReceiptLayout
from counter_app.printing.preview import LayoutPreview
from counter_app.services.context import Context
from counter_app.ui.application import apply_style
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.devices import Devices
from tests.helpers import (
    OFFICE_TZ,
    WAIT,
    Town,
    add_account,
    cashier_window,
    clipped,
    find,
    find_and_add,
    opened,
    screenshot,
    tender,
)

SCREENS = {"1366x768": QSize(1366, 768), "1024x700": QSize(1024, 700)}


@pytest.mark.parametrize("size", list(SCREENS))
def test_paying_what_restores_service_shows_reconnect_ordered_and_prints_the_order(
    qapp: QApplication, qtbot: QtBot, ctx: Context, town: Town, size: str
) -> None:
    apply_style(qapp)
    add_account(
        ctx,
        "040000-01",
        "Dee, Cut",
        "14 Quarry Road",
        status="disconnected",
        shutoff_date=dt.date(2026, 11, 10),
        charges=[
            ("water", "2026-10-01", "2026-10-22", 8000, 8000),
            ("sewer", "2026-11-01", "2026-11-22", 4000, 4000),
            ("water", "2026-11-15", "2026-12-06", 3000, 3000),
        ],
    )
    preview = LayoutPreview(ReceiptLayout(width=42, tz=OFFICE_TZ))
    window = cashier_window(qtbot, ctx, town, Devices(None, None, preview=preview))
    window.resize(SCREENS[size])
    find_and_add(qtbot, window, "040000-01")
    restores = "DISCONNECTED — $170.00 restores service (incl. reconnect fee $50.00)"
    qtbot.waitUntil(lambda: restores in window.detail.text(), timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert window.cart.lines[0].amount == Money.parse("170.00")
    tender(qtbot, window, Qt.Key.Key_F5, "170.00")
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.last_receipt is not None, timeout=WAIT)
    qtbot.keyClick(opened(qtbot, window, ChangeDueDialog), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None and window.isActiveWindow(), timeout=WAIT)

    assert window.last_receipt is not None
    order = f"SO-{window.last_receipt.number}"
    find(qtbot, window, "040000-01")
    badge = f"RECONNECT ORDERED {order} — no reconnect fee due; service to be turned on"
    qtbot.waitUntil(lambda: badge in window.detail.text(), timeout=WAIT)
    assert "ACCOUNT 040000-01 · RECONNECT ORDERED" in window.detail.text()
    assert "restores service" not in window.detail.text()
    qtbot.keyClick(window.results, Qt.Key.Key_Return)  # on the transaction again: F10
    qtbot.waitUntil(lambda: len(window.cart.lines) == 1, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_F10)  # asks no fee: nothing is past due
    assert "Account 040000-01 has nothing past due" in window.message.text()
    assert window.cart.lines[0].amount == Money.parse("30.00")
    name = "reconnect-ordered" + ("" if size == "1366x768" else f"-{size}")
    screenshot(window, name, ctx.db.dialect)
    # the account and the transaction (the lights of a station with no devices are not ours)
    assert clipped(window.pane) + clipped(window.panel) == []

    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    shown = window.receipt_window
    qtbot.waitUntil(shown.isVisible, timeout=WAIT)
    paper = shown.text.toPlainText().splitlines()
    assert ["Reconnect", "ordered:", order] in [line.split() for line in paper]
    assert any(line.startswith("  Paid to restore service (incl.") for line in paper)
    if size == "1366x768":
        screenshot(shown, "reconnect-ordered-receipt", ctx.db.dialect)
