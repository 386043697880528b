"""The counter screen's own rules: one list of keys, a new idempotency key for a changed
cart, a second stub scan goes to Find, the Database light tells the truth."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from counter_app.config import Settings
from counter_app.db.engine import Database
from counter_app.db.models import DrawerSession
from counter_app.domain.money import Money
from counter_app.domain.scanline import make_scanline
from counter_app.services.context import Context
from counter_app.ui.action_dialogs import ReturnedCheckDialog
from counter_app.ui.keymap import DIALOG_KEYS, KEY_HINTS, KEYS, Where, key_map_html
from counter_app.ui.main_window import MainWindow
from counter_app.ui.widgets.common import InfoDialog
from tests.helpers import (
    WAIT,
    Town,
    cashier_window,
    find,
    find_and_add,
    opened,
    scan,
    show_window,
    tender,
)


def test_every_key_of_the_window_is_in_the_f1_key_map_and_the_menu_matches(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    keys = [action.shortcut().toString() for action in window.key_actions]
    assert len(keys) == len(KEYS)  # one action per binding
    for windows in ({Where.COUNTER, Where.TRANSACTION, Where.MENU}, *({w} for w in DIALOG_KEYS)):
        own = [k.key for k in KEYS if k.where in windows]
        assert len(own) == len(set(own)), windows  # no key twice on one window
    for needed in (
        "F3",
        "F4",
        "F9",
        "Ctrl+I",
        "Ctrl+O",
        "Ctrl+D",
        "Ctrl+N",
        "Ctrl+R",
        "Ctrl+P",
        "Ctrl+L",
        "Ctrl+Q",
        "Ctrl+K",
        "Esc",
        "Del",
        "F1",
        "F12",
    ):
        assert needed in keys, needed
    qtbot.keyClick(window, Qt.Key.Key_F1)
    box = opened(qtbot, window, InfoDialog)
    assert box.text.text() == key_map_html()
    for key in keys:
        assert f"<b>{key}</b>" in box.text.text(), key
    assert "press Esc twice" in box.text.text()
    menu = [a.shortcut().toString() for a in window.menu.actions()]
    assert menu == [k.key for k in KEYS if k.where is Where.MENU]
    assert all(k.hint.split()[0].split("/")[0] == k.key for k in KEYS if k.hint)
    assert "F5 Cash" in KEY_HINTS and "F9/Enter Complete" in KEY_HINTS


def test_a_changed_cart_gets_a_new_idempotency_key_and_a_retry_keeps_it(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    find_and_add(qtbot, window, "001234-01")
    tender(qtbot, window, Qt.Key.Key_F5, "110.00")
    with ctx.db.write() as s:  # the drawer was counted elsewhere: posting is refused
        s.execute(update(DrawerSession).values(state="counted"))
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "open a drawer first" in window.message.text(), timeout=WAIT)
    first = window.checkout.pending_key
    assert first is not None
    window.say("")
    qtbot.keyClick(window, Qt.Key.Key_F9)  # the same cart again: the same key
    qtbot.waitUntil(lambda: "open a drawer first" in window.message.text(), timeout=WAIT)
    assert window.checkout.pending_key == first

    tender(qtbot, window, Qt.Key.Key_F5, "5.00")  # the cart changed
    assert window.checkout.pending_key is None
    with ctx.db.write() as s:
        s.execute(update(DrawerSession).values(state="open"))
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.last_receipt is not None, timeout=WAIT)
    assert window.last_receipt.tendered == Money.parse("115.00")


def test_a_second_stub_scanned_while_the_results_have_focus_goes_to_find(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    first = make_scanline("010002-01", Money.parse("212.55"), ctx.settings.scanline)
    find(qtbot, window, first)
    qtbot.waitUntil(lambda: window.results.hasFocus(), timeout=WAIT)
    second = make_scanline("001234-01", Money.parse("104.10"), ctx.settings.scanline)
    scan(qtbot, second)
    assert window.search.hasFocus() and window.search.text() == second
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "account 001234-01, amount due $104.10" in window.message.text())


def test_the_database_light_is_green_after_a_query_and_red_with_the_fix_when_it_fails(
    qtbot: QtBot, ctx: Context, town: Town, fresh_settings: Settings, tmp_path: Path
) -> None:
    window = cashier_window(qtbot, ctx, town)
    qtbot.waitUntil(lambda: window.db_status.state == "ok", timeout=WAIT)
    assert window.db_status.text() == "● Database"

    gone = Database.from_url(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    broken = MainWindow(Context(gone, fresh_settings), town.cashier, window.session)
    show_window(qtbot, broken)
    qtbot.waitUntil(lambda: broken.db_status.state == "bad", timeout=WAIT)
    assert broken.db_status.text() == "● Database: not answering"
    assert "cannot use the database at sqlite:///" in broken.db_status.detail
    assert "Check that the server is running" in broken.db_status.detail
    qtbot.mouseClick(broken.db_status, Qt.MouseButton.LeftButton)
    box = opened(qtbot, broken, InfoDialog)
    assert box.text.text() == broken.db_status.detail
    gone.dispose()


def test_ctrl_s_shows_every_light_with_its_detail(qtbot: QtBot, ctx: Context, town: Town) -> None:
    window = cashier_window(qtbot, ctx, town)
    qtbot.waitUntil(lambda: window.printer_status.state == "bad", timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    box = opened(qtbot, window, InfoDialog)
    assert "Printer: not configured" in box.text.text()
    assert "Drawer: not configured" in box.text.text()
    assert "Database" in box.text.text()


def test_a_supervisor_without_a_drawer_can_start_a_returned_check(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = show_window(qtbot, MainWindow(ctx, town.supervisor, None))
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = opened(qtbot, window, ReturnedCheckDialog)
    assert dialog.windowTitle() == "Returned check"
    dialog.reject()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_F4)  # a void still belongs to a drawer session
    assert window.message.text() == "Log in and open a drawer first"


def test_a_second_complete_while_posting_waits_instead_of_posting_again(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    posted: list[object] = []
    window.posted.connect(posted.append)
    find_and_add(qtbot, window, "001234-01")
    tender(qtbot, window, Qt.Key.Key_F5, "110.00")
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.keyClick(window, Qt.Key.Key_F9)  # the impatient second press
    assert window.message.text() == "Posting… wait for the receipt"
    qtbot.waitUntil(lambda: window.last_receipt is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: not window.checkout.completing, timeout=WAIT)
    assert len(posted) == 1
