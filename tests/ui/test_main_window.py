"""The main window finds accounts through real widgets, with database work off the GUI
thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from counter_app.services.context import Context
from counter_app.ui.main_window import MainWindow
from tests.town import Town

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_typing_a_name_and_enter_lists_accounts_and_shows_the_first(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = _window(qtbot, ctx)
    qtbot.keyClicks(window.search, "smith j")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "ACCOUNT" in window.detail.text(), timeout=10_000)
    rows = [window.results.item(i).text() for i in range(window.results.count())]
    assert any(r.startswith("001234-01") for r in rows)
    assert any(r.startswith("010002-01") and "SHUT-OFF PENDING" in r for r in rows)
    assert window.message.text() == f"{len(rows)} found"
    window.results.setCurrentRow([r[:9] for r in rows].index("010002-01"))
    qtbot.waitUntil(lambda: "SHUT-OFF 11/30" in window.detail.text(), timeout=10_000)
    assert "Balance $252.55" in window.detail.text()
    if ctx.db.dialect == "sqlite":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SCREENSHOTS / "main-window.png"))
    QThreadPool.globalInstance().waitForDone(5000)


def test_a_bad_query_shows_what_to_type(qtbot: QtBot, ctx: Context, town: Town) -> None:
    window = _window(qtbot, ctx)
    qtbot.keyClicks(window.search, "1")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "too short" in window.message.text(), timeout=10_000)
    assert window.results.count() == 0
    QThreadPool.globalInstance().waitForDone(5000)
