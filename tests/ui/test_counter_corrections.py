"""Corrections found by working a cashier day at the counter (issue: the counter, tried as a
cashier would)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.db.models import Override
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.scanline import make_scanline
from counter_app.domain.tenders import TenderEntry
from counter_app.services import posting
from counter_app.services.context import Context
from counter_app.ui.action_dialogs import MovementDialog, ReceiptPickDialog
from counter_app.ui.application import apply_style
from counter_app.ui.count_dialog import OpenDrawerDialog
from counter_app.ui.history_dialog import HistoryDialog
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.tender_dialog import TenderDialog
from counter_app.ui.widgets.account_view import NO_ACCOUNT
from tests.helpers import (
    WAIT,
    Town,
    approve,
    cash,
    cashier_window,
    find,
    find_and_add,
    opened,
    pay,
    screenshot,
    type_amount,
)


def test_a_search_that_finds_no_account_leaves_no_account_on_screen_to_take_money_on(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
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
    window = cashier_window(qtbot, ctx, town)
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
    window = cashier_window(qtbot, ctx, town)
    for key in (Qt.Key.Key_F3, Qt.Key.Key_F4):
        qtbot.keyClick(window, key)
        pick = opened(qtbot, window, ReceiptPickDialog)
        line = pick.list.item(0).text()
        assert line.startswith(f"{posted.receipt.number}  10:00  "), line  # 16:00 UTC
        pick.reject()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)


def test_the_float_count_marks_every_bad_field_at_once_and_keeps_its_size(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_style(app)
    dialog = OpenDrawerDialog(ctx, town.cashier)
    qtbot.addWidget(dialog)
    dialog.show()
    size = dialog.size()
    fields = dialog.grid.fields
    qtbot.keyClicks(fields["20"], "1e3")
    qtbot.keyClicks(fields["10"], "12..0")
    fields["5"].insert("😀")  # pasted: a key event cannot carry it
    qtbot.keyClicks(fields["100"], "9" * 23)  # a sane count has at most six digits
    qtbot.keyClicks(fields["1"], "7")
    assert fields["100"].text() == "999999"
    problems = dialog.error.text().splitlines()
    assert problems[:3] == [
        "$100 bills: 999,999 is more than a drawer holds",
        "$20 bills: type how many, as a whole number",
        "$10 bills: type how many, as a whole number",
    ]
    assert problems[3] == "… and 1 more marked in red"
    bad = [code for code, field in fields.items() if field.property("bad")]
    assert bad == ["100", "20", "10", "5"]
    assert dialog.total.text() == "Float $7.00"  # only what can be counted
    assert dialog.size() == size
    screenshot(dialog, "float-count-errors", ctx.db.dialect)
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    assert dialog.session is None and dialog.isVisible()

    for code in ("100", "20", "10", "5"):
        fields[code].clear()
    assert dialog.error.text() == "" and not any(f.property("bad") for f in fields.values())
    assert dialog.size() == size


def test_an_amount_error_goes_once_the_amount_is_fixed_or_its_line_is_removed(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    find_and_add(qtbot, window, "001234-01")
    heights = (window.message.height(), window.panel.error.height())
    type_amount(qtbot, window, "12..0")
    qtbot.waitUntil(lambda: "is not an amount" in window.panel.error.text(), timeout=WAIT)
    assert "is not an amount" in window.message.text()
    assert (window.message.height(), window.panel.error.height()) == heights  # no jump
    qtbot.waitUntil(lambda: window.panel.table.item(0, 3).text() == "104.10", timeout=WAIT)
    type_amount(qtbot, window, "10.00")
    qtbot.waitUntil(lambda: window.cart.total == Money.parse("10.00"), timeout=WAIT)
    assert window.panel.error.text() == ""
    assert "is not an amount" not in window.message.text()

    type_amount(qtbot, window, "0")
    qtbot.waitUntil(lambda: "more than zero" in window.panel.error.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: window.panel.table.item(0, 3).text() == "10.00", timeout=WAIT)
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)  # Del is a shortcut of the window
    window.panel.table.setFocus()
    window.panel.table.selectRow(0)
    qtbot.keyClick(window.panel.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not window.cart.lines, timeout=WAIT)
    assert window.panel.error.text() == ""
    assert "more than zero" not in window.message.text()


def test_results_follow_what_is_typed_and_a_late_answer_never_paints_over_a_newer_one(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    window.focus_search()
    qtbot.keyClicks(window.search, "smi")
    qtbot.waitUntil(lambda: window.results.count() == 3, timeout=WAIT)  # no Enter pressed
    assert window.message.text() == "3 found — ↓ and Enter adds"
    assert window.search.hasFocus()

    qtbot.keyClicks(window.search, "th jane")
    qtbot.waitUntil(lambda: window.results.count() == 1, timeout=WAIT)
    assert window.results.item(0).text().startswith("004410-02")

    window.search.clear()
    qtbot.keyClicks(window.search, "brown")
    window.lookup.search("smith")  # asked first, answered after the newer "brown" may be
    window.lookup.search("brown")
    qtbot.waitUntil(lambda: "found" in window.message.text(), timeout=WAIT)
    qtbot.wait(300)  # both answers are in, and the typing pause has passed
    shown = [window.results.item(i).text()[:9] for i in range(window.results.count())]
    assert shown == ["020000-01", "020001-01"]


def test_quick_cash_keys_tender_the_exact_amount_or_a_bill_at_once(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    find_and_add(qtbot, window, "001234-01")  # $104.10 due
    qtbot.keyClick(window, Qt.Key.Key_F5)
    cash = opened(qtbot, window, TenderDialog)
    assert [b.text() for b in cash.quick] == [
        "Exact $104.10 (Alt+E)",
        "$20.00 (Alt+2)",
        "$50.00 (Alt+5)",
        "$100.00 (Alt+1)",
    ]
    qtbot.waitUntil(cash.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(cash, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(window.cart.tenders) == 1, timeout=WAIT)
    assert window.cart.tenders[0].amount == Money.parse("100.00")
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)

    qtbot.keyClick(window, Qt.Key.Key_F5)
    rest = opened(qtbot, window, TenderDialog)
    assert rest.quick[0].text() == "Exact $4.10 (Alt+E)"
    qtbot.waitUntil(rest.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(rest, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.cart.ready, timeout=WAIT)
    assert window.cart.tendered == Money.parse("104.10")
    assert window.panel.totals.change.text() == "CHANGE 0.00"


def test_the_last_receipt_opens_over_the_counter_and_esc_puts_it_away(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    window.move(200, 100)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    shown = window.receipt_window
    qtbot.waitUntil(shown.isVisible, timeout=WAIT)
    middle, over = window.frameGeometry().center(), shown.frameGeometry().center()
    assert abs(middle.x() - over.x()) <= 2 and abs(middle.y() - over.y()) <= 2
    qtbot.waitUntil(shown.isActiveWindow, timeout=WAIT)  # in front, taking the keys
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert not shown.isVisible()


def test_ctrl_h_shows_the_history_of_the_account_on_screen(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    posted = pay(ctx, town, [("001234-01", "20.00")], [cash("20.00")])
    window = cashier_window(qtbot, ctx, town)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert "Find an account first" in window.message.text()
    find(qtbot, window, "001234-01")
    qtbot.waitUntil(lambda: "ACCOUNT 001234-01" in window.detail.text(), timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    shown = opened(qtbot, window, HistoryDialog)
    first = [shown.table.item(0, col).text() for col in range(5)]
    assert first == ["11/23/2026", "Payment: cash", "-$20.00", posted.receipt.number, ""]
    assert shown.table.rowCount() == 7  # six charges and the payment
    assert "Balance $84.10" in shown.open_now.text()
    screenshot(shown, "history", ctx.db.dialect)


def test_the_override_says_why_it_is_needed_and_takes_the_reason_already_given(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    form = opened(qtbot, window, MovementDialog)
    qtbot.keyClicks(form.amount, "40.00")
    qtbot.keyClicks(form.reason, "postage for the mail room")
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    override = opened(qtbot, window, OverrideDialog)
    texts = {label.accessibleName(): label.text() for label in override.findChildren(QLabel)}
    assert texts["Why a supervisor"] == (
        "Paid-out $40.00 is over the $25.00 limit a cashier pays out alone"
    )
    assert texts["Reason given"] == "Reason: postage for the mail room"
    assert not override.reason.isVisible()  # not asked a second time
    approve(qtbot, override, "sam", "supervisor123")

    def reasons() -> list[str]:
        with ctx.db.read() as s:
            return list(s.execute(select(Override.reason)).scalars())

    qtbot.waitUntil(lambda: reasons() != [], timeout=WAIT)
    assert reasons() == ["postage for the mail room"]
