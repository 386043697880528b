"""A connection that fails before the COMMIT changed nothing; one that fails once COMMIT was
sent leaves the outcome unknown, said so, and the idempotency key tells which it was (issue
11 defect 7). Faults are real on PostgreSQL (a proxy cut at the COMMIT); see
``helpers.DatabaseFault`` for SQLite."""

from __future__ import annotations

import psycopg.errors
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from counter_app.db.engine import DatabaseUnavailable, refused_by_database
from counter_app.db.models import Transaction
from counter_app.domain.errors import OutcomeUnknown
from counter_app.services.context import Context
from counter_app.services.posting import new_idempotency_key, outcome_of
from tests.helpers import DatabaseFault, Town, cash, pay


def posted_count(ctx: Context, key: str) -> int:
    with ctx.db.read() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(Transaction)
                .where(Transaction.idempotency_key == key)
            )
            or 0
        )


def test_a_commit_whose_answer_is_lost_is_an_unknown_outcome_that_had_posted(
    ctx: Context, town: Town, db_fault: DatabaseFault
) -> None:
    station = db_fault.ctx
    for _ in range(5):  # the probe's 30/30: every one had committed
        key = new_idempotency_key()
        db_fault.lose_commit_answer(committed=True)
        with pytest.raises(OutcomeUnknown) as lost:
            pay(station, town, [("001234-01", "10.00")], [cash("10.00")], key)
        assert "nothing was changed" not in str(lost.value)
        receipt = lost.value.receipt
        assert str(lost.value).startswith(
            f"The database did not say whether receipt {receipt} was posted (connection lost"
        )
        found = outcome_of(ctx, key)
        assert found is not None and found.receipt.number == receipt
        assert posted_count(ctx, key) == 1
        again = pay(station, town, [("001234-01", "10.00")], [cash("10.00")], key)
        assert again.replayed and again.receipt.number == receipt  # the same key: once
    if db_fault.proxy is not None:
        assert db_fault.proxy.commits_cut == 5


def test_a_commit_that_never_reached_the_database_is_unknown_and_the_same_key_posts_once(
    ctx: Context, town: Town, db_fault: DatabaseFault
) -> None:
    station, key = db_fault.ctx, new_idempotency_key()
    db_fault.lose_commit_answer(committed=False)
    with pytest.raises(OutcomeUnknown, match="checking…"):
        pay(station, town, [("001234-01", "10.00")], [cash("10.00")], key)
    assert outcome_of(ctx, key) is None
    posted = pay(station, town, [("001234-01", "10.00")], [cash("10.00")], key)
    assert not posted.replayed and posted_count(ctx, key) == 1


def test_a_database_gone_before_the_commit_changed_nothing_and_says_so(
    ctx: Context, town: Town, db_fault: DatabaseFault
) -> None:
    key = new_idempotency_key()
    db_fault.cut()
    with pytest.raises(DatabaseUnavailable, match="nothing was changed"):
        pay(db_fault.ctx, town, [("001234-01", "10.00")], [cash("10.00")], key)
    db_fault.restore()
    assert outcome_of(ctx, key) is None
    pay(db_fault.ctx, town, [("001234-01", "10.00")], [cash("10.00")], key)
    assert posted_count(ctx, key) == 1


@pytest.mark.parametrize(
    ("answer", "refused"),
    [
        (psycopg.errors.SerializationFailure("could not serialize access"), True),
        (psycopg.errors.DeadlockDetected("deadlock detected"), True),
        (psycopg.errors.AdminShutdown("terminating connection"), False),  # may follow COMMIT
        (psycopg.OperationalError("server closed the connection unexpectedly"), False),
    ],
)
def test_only_a_database_answer_that_rolled_back_counts_as_nothing_changed(
    answer: Exception, refused: bool
) -> None:
    wrapped = OperationalError("COMMIT", None, answer)
    assert refused_by_database(wrapped) is refused
