"""One lock order for every writer, lost races run again, and a payments import in chunks: two
imports at once never deadlock, a counter post lands between an import's chunks, and a file
stopped half way posts only what is missing when it is run again — on both databases."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from counter_app.db import retry
from counter_app.db.models import Account, AuditEvent, Transaction
from counter_app.domain.errors import ImportStopped
from counter_app.domain.money import Money
from counter_app.domain.users import Role
from counter_app.services import sessions, users
from counter_app.services.context import Context
from counter_app.services.payment_import import BatchResult, Chunking, import_payments
from counter_app.services.posting import PaymentRequest, new_idempotency_key, post_transaction
from tests.helpers import FLOAT, Town, add_account, cash, in_parallel, with_settings

ACCOUNTS = [f"{100 + i:06d}-01" for i in range(12)]


def _accounts(ctx: Context) -> None:
    for number in ACCOUNTS:
        add_account(
            ctx, number, f"Payer {number}", f"{number[:6]} Lake St",
            charges=[("water", "2026-11-01", "2026-11-22", 100_000, 100_000)],
        )  # fmt: skip


def _file(numbers: list[str], tag: str, amount: str = "1.00") -> list[str]:
    rows = [f"{n},{amount},check,{tag}{i}\n" for i, n in enumerate(numbers)]
    return ["account_number,amount,tender,reference\n", *rows]


def _clerk(ctx: Context, name: str) -> int:
    return users.add_user(ctx, name, "clerk-password", Role.CASHIER, name.title()).id


def _paid(ctx: Context) -> dict[str, int]:
    """What each test account has had taken off its open charges, in cents."""
    with ctx.db.read() as s:
        rows = s.execute(
            text(
                "SELECT a.number, 100000 - SUM(c.open_cents) FROM accounts a "
                "JOIN charges c ON c.account_id = a.id WHERE a.number LIKE '0001%' "
                "GROUP BY a.number"
            )
        )
        return {number: int(paid) for number, paid in rows}


def test_two_imports_locking_the_same_accounts_in_opposite_orders_both_post(
    ctx: Context, town: Town
) -> None:
    _accounts(ctx)
    clerks = [_clerk(ctx, "clerk0"), _clerk(ctx, "clerk1")]
    for clerk in clerks:  # the day's batch sessions already exist, as in the probe
        with ctx.db.write() as session:
            sessions.batch_session(session, ctx, clerk)
    files = [_file(ACCOUNTS * 2, "A"), _file(list(reversed(ACCOUNTS)) * 2, "B")]
    stations = [with_settings(ctx, station=f"B{i}") for i in range(2)]

    results = in_parallel(
        2, lambda i: import_payments(stations[i], files[i], f"{i}.csv", f"clerk{i}")
    )

    assert all(isinstance(r, BatchResult) for r in results), results  # no deadlock
    assert [(r.posted, r.total) for r in results if isinstance(r, BatchResult)] == [
        (24, Money(2400))
    ] * 2
    assert _paid(ctx) == {number: 400 for number in ACCOUNTS}


def test_a_counter_post_lands_between_the_chunks_of_a_running_import(
    ctx: Context, town: Town
) -> None:
    _accounts(ctx)
    clerk = _clerk(ctx, "clerk0")
    back_office = with_settings(ctx, station="B1")
    lines = _file(ACCOUNTS[1:] * 10, "M")  # 110 rows: 11 chunks of 10
    finished = threading.Event()

    def run_import() -> None:
        try:
            import_payments(
                back_office, lines, "mail.csv", "clerk0", chunking=Chunking(rows=10, seconds=60)
            )
        finally:
            finished.set()

    importer = threading.Thread(target=run_import)
    importer.start()
    try:
        while not finished.is_set() and not _batch_posts(ctx, clerk):
            finished.wait(0.01)  # the import's first chunk is committed
        posted = post_transaction(
            ctx,
            session_id=town.session_id,
            user_id=town.cashier.id,
            payments=[PaymentRequest(ACCOUNTS[0], Money(500))],
            tenders=[cash("5.00")],
            idempotency_key=new_idempotency_key(),
        )
    finally:
        importer.join(120)
    with ctx.db.read() as s:
        events = s.execute(
            select(AuditEvent.entity_id, AuditEvent.station)
            .where(AuditEvent.action == "transaction.post")
            .order_by(AuditEvent.id)
        ).all()
    stations = [station for _, station in events]
    counter_at = [entity for entity, _ in events].index(str(posted.transaction_id))
    assert stations.count("B1") == 110
    assert "B1" in stations[:counter_at] and "B1" in stations[counter_at + 1 :]


def _batch_posts(ctx: Context, user_id: int) -> int:
    with ctx.db.read() as s:
        return len(s.execute(select(Transaction.id).where(Transaction.user_id == user_id)).all())


def test_a_file_stopped_half_way_posts_only_what_is_missing_when_run_again(
    ctx: Context, town: Town
) -> None:
    _accounts(ctx)
    _clerk(ctx, "clerk0")
    lines = _file(ACCOUNTS, "R")
    late = ACCOUNTS[7]
    commits = 0

    def between_chunks(session: Session) -> None:  # another station flags an account meanwhile
        nonlocal commits
        if session.in_nested_transaction():  # a savepoint released: not a commit
            return
        commits += 1
        if commits == 1:
            with ctx.db.engine.connect() as other:
                other.execute(
                    update(Account).where(Account.number == late).values(checks_not_accepted=True)
                )
                other.commit()

    event.listen(Session, "after_commit", between_chunks)
    try:
        with pytest.raises(ImportStopped) as stopped:
            import_payments(ctx, lines, "mail.csv", "clerk0", chunking=Chunking(rows=3, seconds=60))
    finally:
        event.remove(Session, "after_commit", between_chunks)
    assert (stopped.value.line, stopped.value.posted) == (9, 6)  # line 9: the 8th row
    assert "cash or certified funds" in str(stopped.value)
    assert _paid(ctx) == {n: 100 if i < 6 else 0 for i, n in enumerate(ACCOUNTS)}

    with ctx.db.write() as s:
        s.execute(update(Account).where(Account.number == late).values(checks_not_accepted=False))
    again = import_payments(ctx, lines, "mail.csv", "clerk0", chunking=Chunking(rows=3, seconds=60))

    assert (again.posted, again.already_posted, again.total) == (6, 6, Money(600))
    assert _paid(ctx) == {n: 100 for n in ACCOUNTS}


def test_an_import_checks_and_posts_every_row_whatever_the_chunk_size(
    ctx: Context, town: Town
) -> None:
    _accounts(ctx)
    _clerk(ctx, "clerk0")
    lines = _file(ACCOUNTS * 2, "C")

    result = import_payments(ctx, lines, "mail.csv", "clerk0", chunking=Chunking(rows=5))

    assert (result.posted, result.already_posted) == (24, 0)
    assert _paid(ctx) == {n: 200 for n in ACCOUNTS}
    assert import_payments(ctx, lines, "mail.csv", "clerk0").already_posted == 24


# --- lost races are run again -----------------------------------------------------------------
def test_a_unit_of_work_that_loses_a_deadlock_is_run_again_and_both_commit(
    ctx: Context, town: Town
) -> None:
    if not ctx.db.is_postgres:
        pytest.skip("SQLite writers take turns (BEGIN IMMEDIATE): they cannot deadlock")
    ids = [add_account(ctx, n, "Lock", "1 Way") for n in ACCOUNTS[:2]]
    both_hold_one = threading.Barrier(2, timeout=10)
    runs = [0, 0]

    @retry.retried
    def against_the_order(i: int) -> int:
        runs[i] += 1
        with ctx.db.write() as session:
            first, second = ids if i == 0 else ids[::-1]
            session.execute(select(Account).where(Account.id == first).with_for_update()).one()
            if runs[i] == 1:
                both_hold_one.wait()
            session.execute(select(Account).where(Account.id == second).with_for_update()).one()
            session.execute(
                update(Account)
                .where(Account.id.in_(ids))
                .values(credit_cents=Account.credit_cents + 1)
            )
        return runs[i]

    results = in_parallel(2, against_the_order)

    assert sorted(results) == [1, 2]  # type: ignore[type-var]  # the loser ran twice
    with ctx.db.read() as s:
        assert s.execute(
            select(Account.credit_cents).where(Account.id.in_(ids))
        ).scalars().all() == [2, 2]


def test_a_sqlite_unit_of_work_that_finds_the_file_taken_is_run_again(
    ctx: Context, town: Town
) -> None:
    if ctx.db.is_postgres:
        pytest.skip("SQLite's busy file")
    runs = 0

    @retry.retried
    def read_then_write() -> int:
        nonlocal runs
        runs += 1
        with ctx.db.read() as session:  # a deferred transaction: a snapshot, no write lock
            session.execute(select(Account.id)).all()
            if runs == 1:  # another station commits a write meanwhile
                sessions.open_session(with_settings(ctx, station="W07"), town.supervisor.id, FLOAT)
            session.execute(update(Account).values(credit_cents=Account.credit_cents + 1))
            session.commit()
        return runs

    assert read_then_write() == 2
    assert retry.lost_a_race(RuntimeError("unrelated")) is False


def test_a_race_lost_every_time_reaches_the_caller_after_the_last_attempt() -> None:
    from psycopg.errors import DeadlockDetected

    tries = []

    @retry.retried
    def always_deadlocked() -> None:
        tries.append(1)
        raise DeadlockDetected("deadlock detected")

    @retry.retried
    def refused() -> None:
        tries.append(2)
        raise ValueError("not a race")

    with pytest.raises(DeadlockDetected):
        always_deadlocked()
    with pytest.raises(ValueError):
        refused()
    assert tries == [1] * retry.ATTEMPTS + [2]
