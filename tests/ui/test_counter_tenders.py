"""Tender rules at the counter, tried as a cashier would (issue 9, items 3, 4, 14 and 15):
a check over the amount due, a stale stub, check entry, F10 and the message line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.scanline import make_scanline
from counter_app.domain.tenders import TenderEntry
from counter_app.printing.layout import layout_receipt
from counter_app.services.context import Context
from counter_app.ui.application import apply_style
from counter_app.ui.keymap import KEYS
from counter_app.ui.main_window import MainWindow
from counter_app.ui.tender_dialog import TenderDialog
from drivers.paper import Text
from tests.helpers import (
    OFFICE_TZ,
    ROOT,
    WAIT,
    Town,
    add_first_result,
    cashier_window,
    clipped,
    find,
    find_and_add,
    opened,
    pay,
    screenshot,
    type_amount,
    with_settings,
)


def _check_dialog(qtbot: QtBot, window: MainWindow, amount: str, number: str) -> TenderDialog:
    """F6, the amount and number typed, Enter once: the dialog as it then is."""
    qtbot.keyClick(window, Qt.Key.Key_F6)
    dialog = opened(qtbot, window, TenderDialog)
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, amount)
    qtbot.keyClicks(dialog.reference, number)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    return dialog


def _enter_on_find(qtbot: QtBot, window: MainWindow) -> None:
    window.focus_search()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)


def _paper(window: MainWindow) -> list[str]:
    assert window.last_receipt is not None
    ops = layout_receipt(window.last_receipt, width=42, tz=OFFICE_TZ)
    return [op.text for op in ops if isinstance(op, Text)]


# --- 3. a check over the amount due --------------------------------------------------------
def test_a_check_over_the_amount_due_says_it_becomes_credit_and_needs_enter_again(
    qapp: QApplication, qtbot: QtBot, ctx: Context, town: Town
) -> None:
    apply_style(qapp)
    window = cashier_window(qtbot, ctx, town)
    find_and_add(qtbot, window, "001234-01")  # $104.10 due
    dialog = _check_dialog(qtbot, window, "200.00", "1043")
    says = "Check exceeds the amount due by $95.90: it will be credited to 001234-01"
    qtbot.waitUntil(lambda: says in dialog.error.text(), timeout=WAIT)
    assert dialog.error.text() == f"{says} — Enter again to take it, or correct it"
    assert dialog.isVisible() and window.cart.tenders == []  # not taken on the first Enter
    screenshot(dialog, "check-over-amount-due", ctx.db.dialect)
    assert clipped(dialog) == []
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.tenders) == 1, timeout=WAIT)
    assert window.message.text() == f"Press Enter to complete (change $0.00) — {says}"
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)

    type_amount(qtbot, window, "50.00")  # the credit grows: it is asked about again
    qtbot.waitUntil(lambda: window.cart.total == Money.parse("50.00"), timeout=WAIT)
    _enter_on_find(qtbot, window)
    more = "Check exceeds the amount due by $150.00: it will be credited to 001234-01"
    assert window.message.text() == f"{more} — press Enter again to complete"
    assert window.last_receipt is None
    _enter_on_find(qtbot, window)
    qtbot.waitUntil(lambda: window.last_receipt is not None, timeout=WAIT)
    paper = _paper(window)
    # $200.00 applied to John's $104.10: the account holds $95.90 credit, said in words
    assert any(line.startswith("Credit on account") and "$95.90" in line for line in paper)
    assert not any("Balance after" in line for line in paper)


def test_a_check_over_the_amount_due_is_refused_where_the_office_takes_no_such_credit(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    policy = ctx.settings.policy.model_copy(update={"excess_noncash": "refuse"})
    window = cashier_window(qtbot, with_settings(ctx, policy=policy), town)
    find_and_add(qtbot, window, "001234-01")
    dialog = _check_dialog(qtbot, window, "200.00", "1043")
    qtbot.waitUntil(lambda: "exceed the total by $95.90" in dialog.error.text(), timeout=WAIT)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # Enter again does not take it
    assert dialog.isVisible() and window.cart.tenders == []
    assert "no change is given from checks" in dialog.error.text()


# --- 14. check entry -----------------------------------------------------------------------
def test_a_check_number_or_bank_that_cannot_be_kept_is_refused_with_the_reason(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    find_and_add(qtbot, window, "001234-01")
    dialog = _check_dialog(qtbot, window, "104.10", "12-34 A")
    assert dialog.error.text() == (
        'Check number "12-34 A" has a space: type only letters, digits and dashes'
    )
    dialog.reference.clear()
    qtbot.keyClicks(dialog.reference, "9" * 80)
    qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)
    assert dialog.error.text() == "Check number is 80 characters long: at most 20 fit"
    dialog.reference.clear()
    qtbot.keyClicks(dialog.reference, "1234")
    qtbot.keyClicks(dialog.bank, "B" * 120)
    qtbot.keyClick(dialog.bank, Qt.Key.Key_Return)
    assert dialog.error.text() == "Bank is 120 characters long: at most 60 fit"
    assert dialog.isVisible() and window.cart.tenders == []
    dialog.bank.clear()
    qtbot.keyClicks(dialog.bank, "First Bank")
    qtbot.keyClick(dialog.bank, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.tenders) == 1, timeout=WAIT)


def test_a_check_already_taken_today_is_warned_of_and_taken_only_on_enter_again(
    qapp: QApplication, qtbot: QtBot, ctx: Context, town: Town
) -> None:
    apply_style(qapp)
    first = pay(
        ctx,
        town,
        [("010002-01", "50.00")],
        [TenderEntry(TenderKind.CHECK, Money.parse("50.00"), reference="1234", bank="First Bank")],
    )
    window = cashier_window(qtbot, ctx, town)
    find_and_add(qtbot, window, "001234-01")
    qtbot.keyClick(window, Qt.Key.Key_F6)
    dialog = opened(qtbot, window, TenderDialog)
    qtbot.keyClicks(dialog.reference, "1234")
    qtbot.keyClicks(dialog.bank, "first bank")
    qtbot.keyClick(dialog.bank, Qt.Key.Key_Return)
    says = (
        f"Check #1234 (First Bank) was already taken today: receipt {first.receipt.number}, "
        "$50.00 to 010002-01 — Enter again to take it, or correct it"
    )
    qtbot.waitUntil(lambda: dialog.error.text() == says, timeout=WAIT)
    assert dialog.isVisible() and window.cart.tenders == []
    screenshot(dialog, "check-taken-before", ctx.db.dialect)
    assert clipped(dialog) == []
    qtbot.keyClick(dialog.bank, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.cart.tenders) == 1, timeout=WAIT)
    assert window.cart.ready


# --- 4. a stale stub -------------------------------------------------------------------------
def test_a_stale_stub_adds_the_balance_now_and_f11_pays_the_stubs_amount_instead(
    qapp: QApplication, qtbot: QtBot, ctx: Context, town: Town
) -> None:
    apply_style(qapp)
    window = cashier_window(qtbot, ctx, town)
    stub = make_scanline("001234-01", Money.parse("154.10"), ctx.settings.scanline)
    find(qtbot, window, stub)
    assert window.message.text() == (
        "Stub scanned: account 001234-01, stub $154.10 / balance now $104.10 — press Enter to "
        "add it at $104.10, the balance now (F11 then pays the stub's $154.10)"
    )
    add_first_result(qtbot, window)
    assert window.cart.lines[0].amount == Money.parse("104.10")  # no $50.00 credit unasked
    assert window.message.text() == (
        "Added 001234-01: pay $104.10, the balance now (the stub says $154.10, $50.00 more) — "
        "F11 pays the stub's amount, F5–F8 to take payment, Tab to change the amount"
    )
    assert window.panel.table.item(0, 4).text() == "stub $154.10: F11"
    screenshot(window, "stale-stub", ctx.db.dialect)
    assert clipped(window) == []
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.cart.lines[0].amount == Money.parse("154.10")
    assert window.panel.table.item(0, 4).text() == "credit $50.00"
    assert window.message.text() == (
        "Account 001234-01: pay $154.10, the stub's amount (credit $50.00) — F5–F8 to take "
        "payment, Tab to change the amount"
    )


# --- 15. F10 and the message line ---------------------------------------------------------
def test_f10_always_says_what_it_set_or_why_it_set_nothing(
    qapp: QApplication, qtbot: QtBot, ctx: Context, town: Town
) -> None:
    apply_style(qapp)
    window = cashier_window(qtbot, ctx, town)
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert window.message.text() == (
        "Keep service (F10): Add an account to the transaction first (Enter on a result)"
    )
    find_and_add(qtbot, window, "001234-01")  # active, $89.10 of its $104.10 past due
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert window.cart.lines[0].amount == Money.parse("89.10")
    assert window.message.text() == (
        "Keep service (F10): account 001234-01 pays $89.10, what is past due (balance "
        "$104.10) — F5–F8 to take payment"
    )
    screenshot(window, "keep-service", ctx.db.dialect)
    assert clipped(window) == []
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert window.message.text().startswith(
        "Keep service (F10): account 001234-01 already pays $89.10, what is past due"
    )
    window.checkout.clear_cart()
    find_and_add(qtbot, window, "004410-02")  # nothing past due
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert window.message.text() == (
        "Keep service (F10): Account 004410-02 has nothing past due: its service is not at "
        "risk — the amount stays $50.00"
    )
    window.checkout.clear_cart()
    find_and_add(qtbot, window, "010002-01")  # shut-off pending 11/30
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert window.message.text() == (
        "Keep service (F10): account 010002-01 pays $212.55, which stops the shut-off 11/30 "
        "(balance $252.55) — F5–F8 to take payment"
    )


def test_the_pay_message_follows_the_amount_when_it_changes(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    find_and_add(qtbot, window, "010002-01")
    assert window.message.text().startswith("Added 010002-01: pay $252.55 — ")
    type_amount(qtbot, window, "100.00")
    qtbot.waitUntil(
        lambda: (
            window.message.text()
            == (
                "Account 010002-01: pay $100.00 ($212.55 stops shut-off) — F5–F8 to take payment, "
                "Tab to change the amount"
            )
        ),
        timeout=WAIT,
    )


def test_f10_has_one_name_on_the_hint_line_in_the_key_map_and_in_the_readme(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    hints = [label.text() for label in window.findChildren(QLabel, "hints")]
    assert any("F10 Keep service" in text for text in hints)
    assert not any("Past due only" in text for text in hints)
    f10 = next(k for k in KEYS if k.key == "F10")
    assert f10.text.startswith("Keep service: pay only what keeps the service on")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| F10 | keep service: pay only what keeps the service on" in readme
