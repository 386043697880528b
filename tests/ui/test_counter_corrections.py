"""Corrections found by working a cashier day at the counter (issue: the counter, tried as a
cashier would)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.scanline import make_scanline
from counter_app.domain.tenders import TenderEntry
from counter_app.services import posting, sessions
from counter_app.services.context import Context
from counter_app.ui.action_dialogs import ReceiptPickDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.widgets.account_view import NO_ACCOUNT
from tests.e2e.screen import WAIT, find, opened, show_window
from tests.town import Town


def _window(qtbot: QtBot, ctx: Context, town: Town) -> MainWindow:
    session = sessions.current_session(ctx, town.cashier.id)
    return show_window(qtbot, MainWindow(ctx, town.cashier, session))


def test_a_search_that_finds_no_account_leaves_no_account_on_screen_to_take_money_on(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = _window(qtbot, ctx, town)
    unknown_stub = make_scanline("099999-01", Money.parse("10.00"), ctx.settings.scanline)
    for query, says in (
        ("zzzz", "Nothing found"),
        ("x", "too short to search"),
        (unknown_stub, "not on file"),
    ):
        find(qtbot, window, "001234-01")
        qtbot.waitUntil(lambda: "ACCOUNT 001234-01" in window.detail.text(), timeout=WAIT)
        find(qtbot, window, query)
        assert says in window.message.text(), query
        assert window.detail.text() == NO_ACCOUNT, query
        assert window.results.count() == 0


def test_enter_on_a_single_exact_account_number_adds_it_instead_of_searching_again(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = _window(qtbot, ctx, town)
    find(qtbot, window, "001234-01")
    assert window.message.text() == "Account 001234-01 — press Enter to add it"
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.lines) == 1, timeout=WAIT)
    assert window.cart.lines[0].account.number == "001234-01"

    find(qtbot, window, "smith")  # several found: Enter in Find still searches
    assert "found — ↓ and Enter adds" in window.message.text()
    assert window.search.hasFocus()


def test_the_reprint_and_void_lists_show_the_office_time_not_utc(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    posted = posting.post_transaction(
        ctx,
        session_id=town.session_id,
        user_id=town.cashier.id,
        payments=[posting.PaymentRequest("001234-01", Money.parse("10.00"))],
        tenders=[TenderEntry(TenderKind.CASH, Money.parse("10.00"))],
        idempotency_key=posting.new_idempotency_key(),
    )
    window = _window(qtbot, ctx, town)
    for key in (Qt.Key.Key_F3, Qt.Key.Key_F4):
        qtbot.keyClick(window, key)
        pick = opened(qtbot, window, ReceiptPickDialog)
        line = pick.list.item(0).text()
        assert line.startswith(f"{posted.receipt.number}  10:00  "), line  # 16:00 UTC
        pick.reject()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
