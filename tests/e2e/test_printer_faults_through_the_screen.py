"""Faults never lose money, seen on the screen: the printer simulator fails in the middle of
the receipt; the payment stays posted, the receipt is marked unprinted, the printer light
turns red with the reason in words; after recovery F3 prints it: as a REPRINT when part of
it had gone out, as its first copy when the printer refused it before the first byte."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.app import receipt_printer
from counter_app.config import PrinterSettings
from counter_app.db.models import Receipt as ReceiptRow
from counter_app.domain.money import Money
from counter_app.services import lookup, receipts, sessions
from counter_app.services.context import Context
from counter_app.ui.action_dialogs import ReceiptPickDialog
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.devices import Devices
from counter_app.ui.main_window import MainWindow
from drivers.sim.job import Job
from drivers.sim.printer import PrinterSimulator
from tests.helpers import WAIT, Station, Town, find_and_add, opened, show_window, tender


def _last_error(ctx: Context, number: str) -> str:
    with ctx.db.read() as s:
        return s.execute(
            select(ReceiptRow.last_error).where(ReceiptRow.number == number)
        ).scalar_one()


def _pay(qtbot: QtBot, window: MainWindow) -> str:
    find_and_add(qtbot, window, "001234-01")
    tender(qtbot, window, Qt.Key.Key_F5, "110.00")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # Enter on an empty Find completes
    qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
    assert window.last_receipt is not None
    return window.last_receipt.number


def _reprint(qtbot: QtBot, window: MainWindow, number: str) -> None:
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    pick = opened(qtbot, window, ReceiptPickDialog)
    qtbot.keyClicks(pick.number, number.lower())  # any receipt, by its number
    qtbot.keyClick(pick.number, Qt.Key.Key_Return)


def _copies(qtbot: QtBot, sim: PrinterSimulator, number: str, count: int) -> list[Job]:
    """Whole copies of receipt ``number`` (cut at the end), waiting for ``count`` of them."""

    def whole() -> list[Job]:
        return [j for j in sim.jobs if j.cut and number in j.text]

    qtbot.waitUntil(lambda: len(whole()) >= count, timeout=WAIT)
    return whole()


@pytest.mark.parametrize(
    ("fault", "light", "resumes"),
    [
        (
            {"paper_out": True},
            "● Printer: paper out while printing; the receipt is incomplete",
            False,
        ),
        ({"offline": True}, "● Printer: offline", False),
        # a hung printer that comes back prints what was waiting in its buffer
        ({"stalled": True}, "● Printer: stopped answering during the receipt within 1 s", True),
    ],
)
def test_a_fault_mid_receipt_keeps_the_payment_and_the_reprint_is_marked_reprint(
    qtbot: QtBot,
    station: Station,
    town: Town,
    fault: dict[str, bool],
    light: str,
    resumes: bool,
) -> None:
    ctx, sim = station.ctx, station.printer
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session, station.devices))
    qtbot.waitUntil(lambda: window.printer_status.state == "ok", timeout=WAIT)
    sim.fault_after(300, **fault)
    number = _pay(qtbot, window)

    qtbot.waitUntil(lambda: window.printer_status.state == "bad", timeout=WAIT)
    assert window.printer_status.text() == light
    assert "Reprint" in window.printer_status.detail
    assert f"Receipt {number} did not print" in window.message.text()
    assert lookup.get_account(ctx, "001234-01").balance == Money(0)  # posted all the same
    qtbot.waitUntil(lambda: _last_error(ctx, number) != "", timeout=WAIT)
    assert not receipts.session_receipts(ctx, session.id)[0].printed
    assert sim.jobs == []

    sim.set_state(**dict.fromkeys(fault, False))
    late = len(_copies(qtbot, sim, number, 1 if resumes else 0))
    window.dialog.accept()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    _reprint(qtbot, window, number)
    again = _copies(qtbot, sim, number, late + 1)[late]
    assert "REPRINT" in again.text  # part of it (or all, once resumed) went out already
    qtbot.waitUntil(lambda: receipts.session_receipts(ctx, session.id)[0].printed, timeout=WAIT)
    assert window.printer_status.text() == "● Printer ready"


def test_a_receipt_refused_before_printing_lists_as_unprinted_and_prints_as_the_first_copy(
    qtbot: QtBot, station: Station, town: Town
) -> None:
    ctx, sim = station.ctx, station.printer
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session, station.devices))
    sim.set_state(paper_out=True)
    number = _pay(qtbot, window)
    qtbot.waitUntil(lambda: window.printer_status.state == "bad", timeout=WAIT)
    assert window.printer_status.text() == "● Printer: paper out"
    window.dialog.accept()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.waitUntil(lambda: _last_error(ctx, number) != "", timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    pick = opened(qtbot, window, ReceiptPickDialog)
    assert pick.list.item(0).text().startswith(number)
    assert pick.list.item(0).text().endswith("NOT PRINTED")
    qtbot.keyClicks(pick.number, "W02-20200101-0001")
    qtbot.keyClick(pick.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "No receipt W02-20200101-0001" in window.message.text(), timeout=WAIT)

    sim.set_state(paper_out=False)
    if pick.isVisible():
        pick.reject()
    window.activateWindow()
    _reprint(qtbot, window, number)
    first = _copies(qtbot, sim, number, 1)[0]
    assert "REPRINT" not in first.text  # not a byte of it had come out: this is the first


def test_a_printer_that_cannot_tell_its_status_shows_amber_unknown_not_green(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    printer = receipt_printer(PrinterSettings(url="dummy:"))
    window = show_window(
        qtbot,
        MainWindow(
            ctx,
            town.cashier,
            sessions.current_session(ctx, town.cashier.id),
            Devices(printer, None),
        ),
    )
    qtbot.waitUntil(lambda: window.printer_status.text() != "● Printer …", timeout=WAIT)
    assert window.printer_status.state == "warn"
    assert window.printer_status.text() == "● Printer unknown"
    assert "did not answer the status query" in window.printer_status.detail
