"""A mail batch closed with its tape from the supervisor's end-of-day screen: F5 on the
batch, the tape's item count and total, then what was posted beside it and the difference;
a tape that matches closes the batch, one that does not leaves it counted to run again (the
earlier tape kept) or for a supervisor to approve with a reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from counter_app.domain.sessions import SessionState
from counter_app.domain.users import Role
from counter_app.services import closeout, users
from counter_app.services.context import Context
from counter_app.services.payment_import import import_payments
from counter_app.ui.end_of_day_dialog import STATE, EndOfDayDialog, ReasonDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.tape_dialog import TapeDialog
from tests.helpers import WAIT, Town, approve, clipped, opened, screenshot, show_window

CTRL = Qt.KeyboardModifier.ControlModifier
MAIL = [
    "account_number,amount,tender,reference\n",
    "001234-01,84.10,check,5001\n",
    "010002-01,25.00,money_order,77-1\n",
]

pytestmark = pytest.mark.usefixtures("styled")


@pytest.fixture
def batch(ctx: Context, town: Town) -> int:
    """Maria's mail batch: two items, $109.10, open."""
    return import_payments(ctx, MAIL, "mail.csv", "maria").session_id


def _screen(qtbot: QtBot, ctx: Context, town: Town) -> tuple[MainWindow, EndOfDayDialog]:
    window = show_window(qtbot, MainWindow(ctx, town.supervisor, None))
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    screen = opened(qtbot, window, EndOfDayDialog)
    qtbot.waitUntil(lambda: screen.table.rowCount() > 0, timeout=WAIT)
    qtbot.waitExposed(screen)
    return window, screen


def _tape_of(qtbot: QtBot, window: MainWindow, screen: EndOfDayDialog, session: int) -> TapeDialog:
    screen.table.setFocus()
    screen.table.selectRow(next(r for r, s in enumerate(screen.table.summaries) if s.id == session))
    qtbot.keyClick(screen.table, Qt.Key.Key_F5)
    dialog = opened(qtbot, window, TapeDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _run_tape(qtbot: QtBot, dialog: TapeDialog, items: str, total: str) -> None:
    """Type the tape (Enter after each field) and wait for its result."""
    stored = dialog.last
    dialog.items.selectAll()
    qtbot.keyClicks(dialog.items, items)
    qtbot.keyClick(dialog.items, Qt.Key.Key_Return)
    dialog.total.selectAll()
    qtbot.keyClicks(dialog.total, total)
    qtbot.keyClick(dialog.total, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.last is not stored, timeout=WAIT)


def _figures(dialog: TapeDialog) -> dict[str, tuple[str, str, str]]:
    return {
        name: tuple(
            dialog.cells[(name, title)].text() for title in ("Tape", "Posted", "Difference")
        )
        for name in ("Items", "Total")
    }


def _state(screen: EndOfDayDialog, session: int) -> str:
    row = next(r for r, s in enumerate(screen.table.summaries) if s.id == session)
    item = screen.table.item(row, STATE)
    assert item is not None
    return item.text()


def test_a_tape_that_matches_what_was_posted_closes_the_batch(
    qtbot: QtBot, ctx: Context, town: Town, batch: int
) -> None:
    window, screen = _screen(qtbot, ctx, town)
    dialog = _tape_of(qtbot, window, screen, batch)
    screenshot(dialog, "eod-tape", ctx.db.dialect)
    assert clipped(dialog) == [] and not dialog.figures.isVisible()
    _run_tape(qtbot, dialog, "2", "109.10")
    assert _figures(dialog) == {
        "Items": ("2", "2", "none"),
        "Total": ("$109.10", "$109.10", "balanced"),
    }
    assert dialog.words.text() == (
        f"Batch #{batch} closed: Tape 2 items, $109.10 matches what was posted."
    )
    assert not dialog.rerun_button.isVisible()
    screenshot(dialog, "eod-tape-matched", ctx.db.dialect)
    assert clipped(dialog) == []
    qtbot.keyClick(dialog.total, Qt.Key.Key_Return)  # Done
    qtbot.waitUntil(lambda: f"Batch #{batch} closed" in screen.message.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: _state(screen, batch) == "CLOSED — to deposit", timeout=WAIT)


def test_a_tape_that_does_not_match_is_run_again_then_approved_by_the_supervisor(
    qtbot: QtBot, ctx: Context, town: Town, batch: int
) -> None:
    window, screen = _screen(qtbot, ctx, town)
    dialog = _tape_of(qtbot, window, screen, batch)
    _run_tape(qtbot, dialog, "1", "84.10")
    assert _figures(dialog) == {
        "Items": ("1", "2", "1 fewer"),
        "Total": ("$84.10", "$109.10", "short $25.00"),
    }
    assert "is counted, not closed: the tape does not match" in dialog.words.text()
    assert dialog.rerun_button.isVisible() and dialog.approve_button.isVisible()
    screenshot(dialog, "eod-tape-not-matched", ctx.db.dialect)
    assert clipped(dialog) == []
    qtbot.waitUntil(lambda: _state(screen, batch) == "COUNTED — to approve", timeout=WAIT)

    qtbot.keyClick(dialog, Qt.Key.Key_F5)  # run the tape again: back to the fields
    assert not dialog.items.isReadOnly() and not dialog.figures.isVisible()
    _run_tape(qtbot, dialog, "2", "109.00")
    assert _figures(dialog)["Total"] == ("$109.00", "$109.10", "short $0.10")

    qtbot.keyClick(dialog, Qt.Key.Key_F3)  # a supervisor approves the difference
    reason = opened(qtbot, window, ReasonDialog)
    [action] = [w for w in reason.findChildren(QLabel) if w.accessibleName() == "Action"]
    assert action.text() == (
        f"Approve the tape of batch #{batch} (Maria Lopez): Tape 2 items, $109.00; posted "
        "2 items, $109.10: recount or approve"
    )
    qtbot.keyClicks(reason.reason, "a dime short on the adding machine")
    qtbot.keyClick(reason.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: f"Session #{batch} approved: closed" in screen.message.text(), timeout=WAIT
    )
    assert _state(screen, batch) == "CLOSED — to deposit"
    report = closeout.z_read(ctx, batch, town.supervisor.id)
    assert [(c.attempt, c.tape.tape.words) for c in report.counts if c.tape] == [
        (1, "1 item, $84.10"),
        (2, "2 items, $109.00"),
    ]
    [approved] = [s for s in report.steps if s.to_state is SessionState.CLOSED]
    assert (approved.approved_by, approved.reason) == (
        "Sam Ortega",
        "a dime short on the adding machine",
    )


def test_a_tape_is_typed_as_a_whole_item_count_and_an_exact_total(
    qtbot: QtBot, ctx: Context, town: Town, batch: int
) -> None:
    window, screen = _screen(qtbot, ctx, town)
    dialog = _tape_of(qtbot, window, screen, batch)
    for items, total, said in (
        ("", "109.10", "Type how many items the tape lists (0 or more)"),
        ("2.5", "109.10", "Items on the tape: type how many, as a whole number"),
        ("-2", "109.10", "Items on the tape: type how many, as a whole number"),
        ("2", "", "Type the tape's total"),
        ("2", "-109.10", "is negative: amounts here must be zero or more"),
    ):
        dialog.items.setText(items)
        dialog.total.setText(total)
        dialog.total.setFocus()
        qtbot.keyClick(dialog.total, Qt.Key.Key_Return)
        assert said in dialog.error.text()
    dialog.total.setText("109.105")
    qtbot.keyClick(dialog.total, Qt.Key.Key_Return)
    assert dialog.error.text() and dialog.last is None  # nothing was stored
    assert closeout.day_summary(ctx, ctx.today(), town.supervisor.id)[-1].over_short is None


def test_a_drawer_is_not_closed_by_a_tape(
    qtbot: QtBot, ctx: Context, town: Town, batch: int
) -> None:
    window, screen = _screen(qtbot, ctx, town)
    screen.table.selectRow(
        next(r for r, s in enumerate(screen.table.summaries) if s.id == town.session_id)
    )
    qtbot.keyClick(screen.table, Qt.Key.Key_F5)
    qtbot.waitUntil(
        lambda: "is a drawer: its cashier counts it by denomination" in screen.message.text(),
        timeout=WAIT,
    )
    assert isinstance(window.dialog, EndOfDayDialog)


def test_the_supervisors_own_batch_is_approved_by_another_supervisor(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    users.add_user(ctx, "ana", "supervisor456", Role.SUPERVISOR, "Ana Ruiz")
    own = import_payments(ctx, MAIL, "mail.csv", "sam").session_id
    window, screen = _screen(qtbot, ctx, town)
    dialog = _tape_of(qtbot, window, screen, own)
    _run_tape(qtbot, dialog, "2", "109.01")
    qtbot.keyClick(dialog, Qt.Key.Key_F3)
    reason = opened(qtbot, window, ReasonDialog)
    qtbot.keyClicks(reason.reason, "a penny over on the tape")
    qtbot.keyClick(reason.reason, Qt.Key.Key_Return)
    override = opened(qtbot, window, OverrideDialog)  # Sam's own batch: another supervisor
    approve(qtbot, override, "ana", "supervisor456")
    qtbot.waitUntil(
        lambda: f"Session #{own} approved: closed" in screen.message.text(), timeout=WAIT
    )
    [approved] = [
        s
        for s in closeout.z_read(ctx, own, town.supervisor.id).steps
        if s.to_state is SessionState.CLOSED
    ]
    assert (approved.approved_by, approved.reason) == ("Ana Ruiz", "a penny over on the tape")
