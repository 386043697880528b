"""Views refresh from what a write op announces, not from whoever started it."""

from __future__ import annotations

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
