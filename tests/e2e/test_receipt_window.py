"""The last-receipt window (Ctrl+P) shows the receipt as the printer simulator decoded and
drew it, once the printer has taken it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from counter_app.app import gui_devices
from counter_app.config import DrawerSettings, PrinterSettings
from counter_app.services import sessions
from counter_app.services.context import Context
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.main_window import MainWindow
from drivers.sim.printer import PrinterSimulator
from tests.helpers import WAIT, Town, find_and_add, show_window, tender, with_settings


def test_ctrl_p_shows_the_receipt_as_the_printer_simulator_printed_it(
    qtbot: QtBot, ctx: Context, town: Town, tmp_path: Path
) -> None:
    jobs = tmp_path / "printer"
    with PrinterSimulator(jobs) as sim:
        printer_settings = PrinterSettings(url=sim.url, timeout_s=1, preview_dir=jobs)
        station = with_settings(
            ctx, printer=printer_settings, drawer=DrawerSettings(backend="none")
        )
        devices = gui_devices(station.settings)
        session = sessions.current_session(station, town.cashier.id)
        window = show_window(qtbot, MainWindow(station, town.cashier, session, devices))
        find_and_add(qtbot, window, "001234-01")
        tender(qtbot, window, Qt.Key.Key_F5, "110.00")
        qtbot.keyClick(window, Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
        assert window.last_receipt is not None
        number = window.last_receipt.number
        qtbot.keyClick(window.dialog, Qt.Key.Key_Return)
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        shown = window.receipt_window
        qtbot.waitUntil(lambda: shown.isVisible() and shown.shows_printed, timeout=WAIT)
        [job_text] = [p for p in jobs.glob("job-*.txt") if number in p.read_text("utf-8")]
        drawn = QImage(str(job_text.with_suffix(".png")))
        assert shown.picture.pixmap().toImage() == drawn.convertToFormat(
            shown.picture.pixmap().toImage().format()
        )
        assert number in shown.text.toPlainText()  # the layout stays a click away
        shown.close()
        devices.wait()
        assert devices.printer is not None
        devices.printer.close()
