"""The close's cut-off under real parallel work: payments racing the close from other
processes (PostgreSQL) and threads (both databases) are either in the count or refused with
"This drawer is closed" — never lost, never half-counted; two supervisors depositing the
same session at once make one deposit."""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.synchronize import Event

import pytest
from sqlalchemy import func, select

from counter_app.config import Settings
from counter_app.db.engine import Database
from counter_app.db.models import DrawerCountLine, DrawerCountRow, Tender, Transaction
from counter_app.domain.counts import CountKind, CountLineKind, DrawerCount
from counter_app.domain.errors import CounterError, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.sessions import SessionState
from counter_app.services import closeout, deposits
from counter_app.services.context import Context
from tests.helpers import FLOAT, NOW, Clock, Town, cash, context_for, in_parallel, pay

POSTERS = 3


def _post_until_closed(url: str, session_id: int, town: Town, started: Event, out: object) -> None:
    """A station posting $1.00 cash payments into the session until it is refused; puts
    (receipts posted, the refusal's message) on the queue ``out``."""
    db = Database.from_url(url)
    ctx = context_for(db, Settings(database_url=url, station="W02"), Clock(NOW))
    posted: list[str] = []
    refusal = ""
    for _ in range(400):
        try:
            posted.append(pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number)
        except ValidationError as refused:
            refusal = str(refused)
            break
        started.set()
    db.dispose()
    out.put((posted, refusal))  # type: ignore[attr-defined]


def _cut_off(ctx: Context, session_id: int) -> tuple[Money, Money]:
    """(expected cash the close stored, the float plus every cash tender the session holds
    now): equal when nothing was posted after the cut-off and nothing was lost."""
    with ctx.db.read() as s:
        stored = s.execute(
            select(DrawerCountLine.expected_cents)
            .join(DrawerCountRow, DrawerCountRow.id == DrawerCountLine.count_id)
            .where(
                DrawerCountRow.session_id == session_id,
                DrawerCountRow.kind == CountKind.CLOSE.value,
                DrawerCountLine.kind == CountLineKind.TENDER.value,
                DrawerCountLine.code == "cash",
            )
        ).scalar_one()
        held = s.execute(
            select(func.coalesce(func.sum(Tender.amount_cents), 0))
            .join(Transaction, Transaction.id == Tender.transaction_id)
            .where(Transaction.session_id == session_id, Tender.kind == "cash")
        ).scalar_one()
    return Money(int(stored or 0)), Money(int(held)) + Money.parse("200.00")


def _close(ctx: Context, town: Town) -> closeout.CloseResult:
    return closeout.submit_count(ctx, town.session_id, town.cashier.id, DrawerCount(FLOAT))


def _assert_refused_as_closed(refusals: list[str]) -> None:
    assert refusals and all("This drawer is closed" in r for r in refusals), refusals


def test_payments_racing_the_close_from_other_processes_are_counted_or_refused(
    ctx: Context, town: Town, db_url: str
) -> None:
    if not ctx.db.is_postgres:
        pytest.skip("processes racing on one SQLite file are serialised by its write lock")
    spawn = multiprocessing.get_context("spawn")
    out = spawn.Queue()
    started = [spawn.Event() for _ in range(POSTERS)]
    workers = [
        spawn.Process(target=_post_until_closed, args=(db_url, town.session_id, town, e, out))
        for e in started
    ]
    for w in workers:
        w.start()
    for e in started:
        assert e.wait(120), "a posting process never posted"
    result = _close(ctx, town)
    answers = [out.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(60)
    assert result.state is not SessionState.OPEN
    stored, held = _cut_off(ctx, town.session_id)
    assert stored == held
    posted = [n for receipts, _ in answers for n in receipts]
    assert held == Money.parse("200.00") + Money.parse("1.00") * len(posted)
    _assert_refused_as_closed([refusal for _, refusal in answers])


def test_payments_racing_the_close_from_other_threads_are_counted_or_refused(
    ctx: Context, town: Town
) -> None:
    started = threading.Barrier(POSTERS + 1)
    results: list[tuple[list[str], str]] = []

    def post(_: int) -> None:
        posted: list[str] = []
        started.wait()
        while True:
            try:
                posted.append(
                    pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
                )
            except ValidationError as refused:
                results.append((posted, str(refused)))
                return

    threads = [threading.Thread(target=post, args=(i,), daemon=True) for i in range(POSTERS)]
    for t in threads:
        t.start()
    started.wait()
    while not _posted_any(ctx, town.session_id):
        pass
    _close(ctx, town)
    for t in threads:
        t.join(120)
    stored, held = _cut_off(ctx, town.session_id)
    assert stored == held
    assert held == Money.parse("200.00") + Money.parse("1.00") * sum(len(p) for p, _ in results)
    _assert_refused_as_closed([r for _, r in results])


def _posted_any(ctx: Context, session_id: int) -> bool:
    with ctx.db.read() as s:
        return bool(
            s.execute(
                select(func.count(Transaction.id)).where(Transaction.session_id == session_id)
            ).scalar_one()
        )


def test_two_supervisors_depositing_one_session_at_once_make_one_deposit(
    ctx: Context, town: Town
) -> None:
    pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    closeout.submit_count(
        ctx, town.session_id, town.cashier.id, DrawerCount({**FLOAT, "10": FLOAT["10"] + 1})
    )
    day = ctx.today()

    results = in_parallel(
        2, lambda _: deposits.make_deposit(ctx, day, [town.session_id], town.supervisor.id)
    )

    made = [r for r in results if isinstance(r, deposits.Deposit)]
    refused = [r for r in results if isinstance(r, CounterError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert f"already on deposit slip {made[0].slip_number}" in str(refused[0])
    assert [d.id for d in deposits.deposits_of(ctx, day)] == [made[0].id]
