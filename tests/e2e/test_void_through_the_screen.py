"""Pay, see the receipt the printer simulator decoded, then void it on the screen with a
supervisor override; a cashier's own credentials do not approve it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.config import PrinterSettings
from counter_app.domain.money import Money
from counter_app.services import drawer, lookup, receipts
from counter_app.services.context import Context
from counter_app.ui.action_dialogs import ReceiptPickDialog
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.devices import Devices
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from drivers.printer import make_printer
from drivers.sim.printer import PrinterSimulator
from tests.e2e.test_cashier_day import WAIT, _tender
from tests.town import Town


@pytest.fixture
def printer_sim() -> Iterator[PrinterSimulator]:
    with PrinterSimulator() as sim:
        yield sim


def _approve(qtbot: QtBot, dialog: OverrideDialog, who: str, password: str) -> None:
    for field, text in (
        (dialog.supervisor, who),
        (dialog.password, password),
        (dialog.reason, "wrong account"),
    ):
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)


def test_receipt_prints_after_commit_and_a_void_needs_a_supervisor(
    qtbot: QtBot, ctx: Context, town: Town, printer_sim: PrinterSimulator
) -> None:
    printer = make_printer(
        PrinterSettings(url=printer_sim.url, timeout_s=2),
        tz=ctx.settings.zone,
        office_name=ctx.settings.office.name,
    )
    devices = Devices(printer, None)
    window = MainWindow(ctx, town.cashier, drawer.current_session(ctx, town.cashier.id), devices)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "Printer online" in window.printer_status.text(), timeout=WAIT)
    qtbot.keyClicks(window.search, "001234-01")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.results.count() == 1, timeout=WAIT)
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.lines) == 1, timeout=WAIT)
    _tender(qtbot, window, Qt.Key.Key_F5, "110.00")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
    number = window.last_receipt.number
    assert number in window.receipt_window.text.toPlainText()
    job = printer_sim.wait_for_jobs(1, timeout=5)[0]
    assert number in job.text
    assert job.barcodes[0].content == number
    assert "001234-01" in job.text and job.cut
    qtbot.waitUntil(lambda: "ready" in window.printer_status.text(), timeout=WAIT)
    qtbot.waitUntil(
        lambda: receipts.session_receipts(ctx, town.session_id)[0].printed, timeout=WAIT
    )
    window.dialog.accept()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    assert lookup.get_account(ctx, "001234-01").balance == Money(0)

    qtbot.keyClick(window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: isinstance(window.dialog, ReceiptPickDialog), timeout=WAIT)
    pick = window.dialog
    assert pick.list.count() == 1 and pick.list.item(0).text().startswith(number)
    qtbot.mouseClick(pick.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.dialog, OverrideDialog), timeout=WAIT)
    override = window.dialog
    _approve(qtbot, override, "maria", "cashier123")
    qtbot.waitUntil(lambda: "a supervisor must approve" in override.error.text(), timeout=WAIT)
    assert lookup.get_account(ctx, "001234-01").balance == Money(0)
    _approve(qtbot, override, "sam", "supervisor123")
    qtbot.waitUntil(lambda: "VOID" in window.message.text(), timeout=WAIT)
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("104.10")
    slip = printer_sim.wait_for_jobs(2, timeout=5)[1]
    assert "VOID" in slip.text and number in slip.text
    printer_sim.set_state(paper_out=True)
    window.check_devices()
    qtbot.waitUntil(lambda: "paper out" in window.printer_status.text(), timeout=WAIT)
    assert window.printer_status.property("state") == "bad"
