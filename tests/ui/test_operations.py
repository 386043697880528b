"""Views refresh from what a write op announces, not from whoever started it."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry
from counter_app.services import posting
from counter_app.services.context import Context
from counter_app.ui.operations import OPERATIONS, Changes, ReadOp, WriteOp
from tests.helpers import WAIT, Town, cashier_window, find


def _pay_elsewhere(ctx: Context, town: Town, owner: QObject, amount: str) -> None:
    """A payment posted by some other part of the program, through a write op."""
    cents = Money.parse(amount)
    WriteOp(
        owner,
        lambda: posting.post_transaction(
            ctx,
            session_id=town.session_id,
            user_id=town.cashier.id,
            payments=[posting.PaymentRequest("001234-01", cents)],
            tenders=[TenderEntry(TenderKind.CASH, cents)],
            idempotency_key=posting.new_idempotency_key(),
        ),
        Changes.posting(["001234-01"]),
    ).run_in_background()


def test_the_header_totals_and_the_account_shown_follow_a_write_op_from_anywhere(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    qtbot.waitUntil(lambda: window.header.today.text() == "Today: 0 receipts · $0.00")
    find(qtbot, window, "001234-01")
    qtbot.waitUntil(lambda: "Balance $104.10" in window.detail.text(), timeout=WAIT)

    _pay_elsewhere(ctx, town, QObject(), "10.00")  # its owner is gone before it lands
    qtbot.waitUntil(lambda: window.header.today.text() == "Today: 1 receipts · $10.00")
    qtbot.waitUntil(lambda: "Balance $94.10" in window.detail.text(), timeout=WAIT)


def test_a_write_op_announces_its_changes_after_success_and_a_failed_one_announces_nothing(
    qtbot: QtBot,
) -> None:
    owner = QObject()
    heard: list[Changes] = []
    OPERATIONS.changed.connect(heard.append)
    try:
        with qtbot.waitSignal(OPERATIONS.changed, timeout=WAIT):
            WriteOp(
                owner, lambda: 42, lambda n: Changes(accounts=frozenset({str(n)}))
            ).run_in_background()
        assert heard == [Changes(accounts=frozenset({"42"}))]

        failures: list[Exception] = []

        def refuse() -> None:
            raise ValueError("no")

        WriteOp(owner, refuse, Changes(session=True)).failure(failures.append).run_in_background()
        ReadOp(owner, lambda: 1).run_in_background()
        qtbot.waitUntil(lambda: len(failures) == 1, timeout=WAIT)
        assert heard == [Changes(accounts=frozenset({"42"}))]
    finally:
        OPERATIONS.changed.disconnect(heard.append)


class Held:
    """Something a background call holds (a widget, a device's pool): records on which
    thread it was let go."""

    def __init__(self, released: list[str]) -> None:
        self.released = released

    def __del__(self) -> None:
        self.released.append(threading.current_thread().name)


def _start_ops_holding(held: Held, owner: QObject, answers: list[object]) -> None:
    """One op that succeeds and one that fails, each call holding ``held``."""

    def refuse() -> None:
        raise ValueError(f"refused ({len(held.released)} let go)")

    ReadOp(owner, lambda: len(held.released)).success(answers.append).run_in_background()
    ReadOp(owner, refuse).failure(lambda error: answers.append(str(error))).run_in_background()


def test_what_a_finished_op_held_is_let_go_on_the_gui_thread_not_on_another(
    qtbot: QtBot,
) -> None:
    released: list[str] = []
    answers: list[object] = []
    owner = QObject()
    _start_ops_holding(Held(released), owner, answers)
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=WAIT)
    qtbot.waitUntil(lambda: bool(released), timeout=WAIT)  # no collection needed
    assert released == [threading.main_thread().name]
