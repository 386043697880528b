"""What a cashier does on the screen, as small steps the end-to-end tests share. Every step
goes through the real widgets: keys typed with qtbot, buttons clicked."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from counter_app.services.context import Context
from counter_app.ui.login_dialog import LoginDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.tender_dialog import TenderDialog
from drivers.sim.job import Job
from drivers.sim.printer import PrinterSimulator

WAIT = 10_000
D = TypeVar("D", bound=QWidget)


def login(qtbot: QtBot, ctx: Context, name: str, password: str) -> LoginDialog:
    """Type the credentials (not yet submitted)."""
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, name)
    qtbot.keyClicks(dialog.password, password)
    return dialog


def submit(qtbot: QtBot, dialog: LoginDialog) -> None:
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)


def show_window(qtbot: QtBot, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    return window


def find(qtbot: QtBot, window: MainWindow, query: str) -> None:
    """Type a query (or a stub's scan line) into Find and press Enter."""
    window.focus_search()
    qtbot.keyClicks(window.search, query)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.message.text() != "Searching…", timeout=WAIT)


def add_first_result(qtbot: QtBot, window: MainWindow) -> None:
    lines = len(window.cart.lines)
    qtbot.waitUntil(lambda: window.results.count() > 0, timeout=WAIT)
    window.results.setFocus()
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.lines) == lines + 1, timeout=WAIT)


def find_and_add(qtbot: QtBot, window: MainWindow, query: str) -> None:
    find(qtbot, window, query)
    add_first_result(qtbot, window)


def tender(qtbot: QtBot, window: MainWindow, key: Qt.Key, amount: str, number: str = "") -> None:
    """Press a tender key, type the amount (and number), Enter."""
    qtbot.keyClick(window, key)
    dialog = window.dialog
    assert isinstance(dialog, TenderDialog), window.message.text()
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, amount)
    if number:
        qtbot.keyClicks(dialog.reference, number)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)


def type_amount(qtbot: QtBot, window: MainWindow, amount: str) -> None:
    """Tab from Find to the last account's amount, type it, Enter."""
    window.focus_search()
    qtbot.keyClick(window.search, Qt.Key.Key_Tab)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor is not window.search
    editor.selectAll()
    qtbot.keyClicks(editor, amount)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def approve(qtbot: QtBot, dialog: OverrideDialog, who: str, password: str) -> None:
    for field, text in (
        (dialog.supervisor, who),
        (dialog.password, password),
        (dialog.reason, "wrong account"),
    ):
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)


def opened(qtbot: QtBot, window: MainWindow, kind: type[D]) -> D:
    """The dialog of ``kind`` the window has open (waiting for it)."""
    qtbot.waitUntil(
        lambda: isinstance(window.dialog, kind) and window.dialog.isVisible(), timeout=WAIT
    )
    assert isinstance(window.dialog, kind)
    return window.dialog


def printed_jobs(qtbot: QtBot, sim: PrinterSimulator, count: int) -> list[Job]:
    """The simulator's first ``count`` jobs, letting the GUI run while they come."""
    qtbot.waitUntil(lambda: len(sim.jobs) >= count, timeout=WAIT)
    return sim.jobs


def scan(qtbot: QtBot, text: str) -> None:
    """A keyboard-wedge scanner: each character goes to whichever widget has focus."""
    for char in text:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClicks(widget, char)
