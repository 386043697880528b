"""Pages of results (issue 9 item 8): "smith j" said "50 found" while 217 matched, and
Smith, John could not be reached."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.services import sessions
from counter_app.services.context import Context
from counter_app.ui.main_window import MainWindow
from tests.helpers import WAIT, Town, add_account, find, screenshot, show_window


def _names(window: MainWindow) -> list[str]:
    return [window.results.item(i).toolTip().split(" · ")[0] for i in range(window.results.count())]


def _turn(qtbot: QtBot, window: MainWindow, key: Qt.Key, says: str) -> None:
    qtbot.keyClick(window.results, key)
    qtbot.waitUntil(lambda: window.message.text().startswith(says), timeout=WAIT)
    qtbot.waitUntil(lambda: window.results.count() > 0, timeout=WAIT)


def test_smith_j_says_50_of_217_and_pgdn_pages_on_to_smith_john(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    for i in range(214):  # with the town's John, Jane and J&K Smith: 217 "smith j"
        add_account(ctx, f"08{i:04d}-01", f"Smith, Jacob {i:03d}", f"{i} Fir St")
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session))

    find(qtbot, window, "smith j")
    assert window.message.text() == "50 of 217 — type more to narrow · PgDn next 50"
    assert window.results.count() == 50
    screenshot(window, "results-50-of-217", ctx.db.dialect)

    qtbot.keyClick(window.search, Qt.Key.Key_PageDown)  # from Find too
    qtbot.waitUntil(lambda: window.message.text().startswith("51–100 of 217"), timeout=WAIT)
    assert window.message.text() == "51–100 of 217 · PgDn next 50 · PgUp back"
    qtbot.waitUntil(lambda: window.results.hasFocus(), timeout=WAIT)
    assert _names(window)[0] == "Smith, Jacob 049" and len(_names(window)) == 50
    for says in ("101–150", "151–200", "201–217"):
        _turn(qtbot, window, Qt.Key.Key_PageDown, says)
    assert window.message.text() == "201–217 of 217 · PgUp back"
    screenshot(window, "results-last-page", ctx.db.dialect)
    assert _names(window)[-3:] == ["Smith, Jacob 213", "Smith, Jane", "Smith, John"]

    qtbot.keyClick(window.results, Qt.Key.Key_PageDown)  # no page after the last: nothing
    assert window.message.text() == "201–217 of 217 · PgUp back"

    window.results.setCurrentRow(window.results.count() - 1)  # Smith, John: reachable now
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.lines) == 1, timeout=WAIT)
    assert window.cart.lines[0].account.number == "001234-01"

    find(qtbot, window, "smith j")
    window.results.setFocus()
    _turn(qtbot, window, Qt.Key.Key_PageDown, "51–100")
    _turn(qtbot, window, Qt.Key.Key_PageUp, "50 of 217")
    assert window.message.text() == "50 of 217 — type more to narrow · PgDn next 50"
    assert _names(window)[0] == "Smith, J&K"


def test_a_search_of_one_page_still_says_how_many_were_found(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session))
    find(qtbot, window, "smith")
    assert window.message.text() == "3 found — ↓ and Enter adds"
    window.results.setFocus()
    qtbot.keyClick(window.results, Qt.Key.Key_PageDown)  # one page: PgDn moves in the list
    assert window.message.text() == "3 found — ↓ and Enter adds"


def test_a_pasted_page_of_words_is_searched_by_its_first_words_and_says_so(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    session = sessions.current_session(ctx, town.cashier.id)
    window = show_window(qtbot, MainWindow(ctx, town.cashier, session))
    window.search.setText(" ".join(["smith", "john"] + ["oak"] * 2000))  # as a paste lands
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "searched the first 6 words" in window.message.text(), timeout=WAIT)
    assert window.message.text() == "1 found — ↓ and Enter adds (searched the first 6 words)"
    assert len(window.search.text()) <= 160
