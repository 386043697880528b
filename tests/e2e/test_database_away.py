"""The database goes away under a cashier, for real (a cut proxy on PostgreSQL, the file out
of reach on SQLite; ``helpers.DatabaseFault``): the light turns red, the transaction stays,
Complete waits and then posts once. A COMMIT left unanswered is never guessed: the
submission is held (pending file, same key), re-checked until the database says posted —
printed, drawer opened — or not posted, and Enter then posts it at most once."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter_app.db.models import AuditEvent, Transaction
from counter_app.domain.money import Money
from counter_app.domain.submission import Submission
from counter_app.services import outcomes, sessions
from counter_app.services.context import Context
from counter_app.services.posting import new_idempotency_key
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.main_window import MainWindow
from drivers.sim.drawer import DrawerSimulator
from drivers.sim.printer import PrinterSimulator
from tests.helpers import (
    WAIT,
    DatabaseFault,
    Station,
    Town,
    cash,
    find_and_add,
    pay,
    printed_jobs,
    screenshot,
    show_window,
    station_for,
    tender,
)


@pytest.fixture
def away(
    db_fault: DatabaseFault, printer_sim: PrinterSimulator, drawer_sim: DrawerSimulator
) -> Iterator[Station]:
    """W02 on the simulators, its database behind ``db_fault``."""
    made = station_for(db_fault.ctx, printer_sim, drawer_sim)
    yield made
    made.devices.wait()
    assert made.devices.drawer is not None and made.devices.printer is not None
    made.devices.drawer.close()
    made.devices.printer.close()


def counter(qtbot: QtBot, station: Station, town: Town) -> MainWindow:
    session = sessions.current_session(station.ctx, town.cashier.id)
    window = MainWindow(station.ctx, town.cashier, session, station.devices)
    if outcomes.pending(station.ctx):  # the recheck may answer (a change-due screen comes
        qtbot.addWidget(window)  # up over the window) before the window is active
        window.show()
        return window
    return show_window(qtbot, window)


def build_cart(qtbot: QtBot, window: MainWindow) -> None:
    find_and_add(qtbot, window, "001234-01")
    tender(qtbot, window, Qt.Key.Key_F5, "110.00")


def posts_of(ctx: Context, key: str) -> int:
    with ctx.db.read() as s:
        count = select(func.count()).select_from(Transaction)
        return s.scalar(count.where(Transaction.idempotency_key == key)) or 0


def recheck_events(ctx: Context) -> list[dict[str, object]]:
    with ctx.db.read() as s:
        return list(
            s.scalars(select(AuditEvent.details).where(AuditEvent.action == outcomes.RECHECK))
        )


def both_sizes(qtbot: QtBot, window: MainWindow, name: str, dialect: str) -> None:
    for width, height in ((1366, 768), (1024, 700)):
        window.resize(width, height)
        qtbot.wait(50)
        screenshot(window, f"{name}-{width}x{height}", dialect)


def test_an_unanswered_commit_is_held_rechecked_and_shown_posted_printed_once(
    qtbot: QtBot, away: Station, town: Town, db_fault: DatabaseFault, ctx: Context
) -> None:
    window = counter(qtbot, away, town)
    build_cart(qtbot, window)
    key_file = outcomes.pending_folder(away.ctx)
    db_fault.lose_commit_answer(committed=True)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    banner = window.outcome_banner
    qtbot.waitUntil(lambda: banner.state == "checking", timeout=WAIT)
    key = window.checkout.pending_key
    assert key is not None
    assert "did not say whether receipt W02-20261123-0001 was posted" in window.message.text()
    assert "NOT KNOWN YET whether receipt W02-20261123-0001 ($104.10, 001234-01)" in banner.text()
    saved = json.loads((key_file / f"{key}.json").read_text())
    assert saved["key"] == key and saved["payments"] == [["001234-01", 10410]]
    both_sizes(qtbot, window, "outcome-checking", away.ctx.db.dialect)

    qtbot.keyClick(window.search, Qt.Key.Key_Escape)  # cannot be cleared or changed
    assert "has not said yet whether receipt W02-20261123-0001" in window.message.text()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.dialog is None and len(window.cart.lines) == 1

    qtbot.waitUntil(lambda: banner.state == "posted", timeout=WAIT)
    assert banner.text() == "✔ Posted — receipt W02-20261123-0001"
    qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
    jobs = printed_jobs(qtbot, away.printer, 1)
    assert "W02-20261123-0001" in jobs[0].text
    qtbot.waitUntil(lambda: away.drawer.pops >= 1, timeout=WAIT)
    both_sizes(qtbot, window, "outcome-posted", away.ctx.db.dialect)
    assert window.cart.is_empty and posts_of(ctx, key) == 1
    assert not (key_file / f"{key}.json").exists()
    assert [e["outcome"] for e in recheck_events(ctx)] == ["posted"]
    assert outcomes.unresolved(ctx) == []


def test_a_commit_that_never_arrived_is_not_posted_and_enter_posts_it_once_with_its_key(
    qtbot: QtBot, away: Station, town: Town, db_fault: DatabaseFault, ctx: Context
) -> None:
    window = counter(qtbot, away, town)
    build_cart(qtbot, window)
    db_fault.lose_commit_answer(committed=False)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    banner = window.outcome_banner
    qtbot.waitUntil(lambda: banner.state == "not_posted", timeout=WAIT)
    key = window.checkout.pending_key
    assert key is not None and posts_of(ctx, key) == 0
    assert "Press Enter to complete again" in banner.text()
    both_sizes(qtbot, window, "outcome-not-posted", away.ctx.db.dialect)
    [reported] = outcomes.unresolved(ctx)  # the supervisor sees it until it posts
    assert (reported.key, reported.total) == (key, Money.parse("104.10"))

    qtbot.keyClick(window, Qt.Key.Key_F5)  # not changed first: completed as it is
    assert window.dialog is None
    assert "cannot be changed first" in window.message.text()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
    assert posts_of(ctx, key) == 1 and banner.state == "posted"
    assert outcomes.unresolved(ctx) == []
    assert printed_jobs(qtbot, away.printer, 1)


def test_a_pending_file_found_at_start_is_rechecked_before_new_work(
    qtbot: QtBot, away: Station, town: Town, ctx: Context
) -> None:
    """The station went down with two submissions in question (as after a crash): one had
    posted, one had not. The counter opens on them, one at a time, before anything else."""
    posted_key, lost_key = new_idempotency_key(), new_idempotency_key()
    posted = pay(ctx, town, [("010002-01", "212.55")], [cash("220.00")], posted_key)
    for key, number, amount, tendered, minutes in (
        (posted_key, "010002-01", "212.55", "220.00", 1),
        (lost_key, "001234-01", "104.10", "110.00", 2),
    ):
        outcomes.keep_pending(
            away.ctx,
            Submission(
                key=key,
                station="W02",
                user_id=town.cashier.id,
                session_id=town.session_id,
                payments=((number, Money.parse(amount)),),
                tenders=(cash(tendered),),
                receipt="",
                at=dt.datetime(2026, 11, 23, 16, minutes, tzinfo=dt.UTC),
            ),
        )
    window = counter(qtbot, away, town)
    banner = window.outcome_banner
    qtbot.waitUntil(lambda: banner.state == "posted", timeout=WAIT)
    assert banner.text() == f"✔ Posted — receipt {posted.receipt.number}"
    assert posted.receipt.number in printed_jobs(qtbot, away.printer, 1)[0].text
    qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
    qtbot.keyClick(window.dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None, timeout=WAIT)

    window.close()  # the next start finds the other one, not posted: back on screen
    window = counter(qtbot, away, town)
    banner = window.outcome_banner
    qtbot.waitUntil(lambda: banner.state == "not_posted", timeout=WAIT)
    qtbot.waitUntil(lambda: len(window.cart.lines) == 1, timeout=WAIT)
    assert window.cart.tendered == Money.parse("110.00")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
    assert posts_of(ctx, lost_key) == 1 and posts_of(ctx, posted_key) == 1
    assert outcomes.pending(away.ctx) == []


def test_the_database_going_away_turns_the_light_red_and_the_kept_transaction_posts_once(
    qtbot: QtBot, away: Station, town: Town, db_fault: DatabaseFault, ctx: Context
) -> None:
    window = counter(qtbot, away, town)
    build_cart(qtbot, window)
    qtbot.waitUntil(lambda: window.db_status.state == "ok", timeout=WAIT)
    db_fault.cut()
    qtbot.waitUntil(lambda: window.db_status.state == "bad", timeout=WAIT)
    assert window.db_status.text() == "● Database: not answering"
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert "The database is not answering" in window.message.text()
    assert "The transaction stays on screen" in window.message.text()
    assert len(window.cart.lines) == 1 and window.cart.tendered == Money.parse("110.00")
    both_sizes(qtbot, window, "database-down", away.ctx.db.dialect)

    db_fault.restore()
    qtbot.waitUntil(lambda: window.db_status.state == "ok", timeout=WAIT)
    assert "answering again: press Enter to complete" in window.message.text()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.dialog, ChangeDueDialog), timeout=WAIT)
    assert window.last_receipt is not None
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Transaction)) == 1


def test_esc_twice_drops_a_submission_that_did_not_post_and_says_so(
    qtbot: QtBot, away: Station, town: Town, db_fault: DatabaseFault, ctx: Context
) -> None:
    window = counter(qtbot, away, town)
    build_cart(qtbot, window)
    db_fault.lose_commit_answer(committed=False)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.outcome_banner.state == "not_posted", timeout=WAIT)
    key = window.checkout.pending_key
    assert key is not None and outcomes.unresolved(ctx) != []
    for _ in range(2):
        qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.cart.is_empty and not window.outcome_banner.isVisible()
    assert "Cleared: receipt W02-20261123-0001 ($104.10, 001234-01) was not posted" in (
        window.message.text()
    )
    qtbot.waitUntil(lambda: outcomes.pending(away.ctx) == [], timeout=WAIT)
    assert outcomes.unresolved(ctx) == [] and posts_of(ctx, key) == 0
