"""Mail and lockbox payments from a file, posted through the same posting service into a
batch session (no drawer) of the named user. All or nothing: every bad row is reported by
its line and nothing is posted; rows already posted (same idempotency key) are skipped, so
re-running a file posts nothing twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from counter_app.db.models import Transaction, User
from counter_app.domain.csv_rows import Problem, read_csv_rows
from counter_app.domain.errors import CounterError, ImportFailed, NotFound
from counter_app.domain.money import Money
from counter_app.domain.payment_rows import PAYMENTS
from counter_app.services import audit, drawer
from counter_app.services.context import Context
from counter_app.services.posting import PaymentRequest, check_requests, post_within


@dataclass(frozen=True)
class BatchResult:
    posted: int
    total: Money
    already_posted: int
    session_id: int


def import_payments(ctx: Context, lines: Iterable[str], source: str, username: str) -> BatchResult:
    """Post every payment in the file, or none (``ImportFailed`` lists each bad line)."""
    parsed = read_csv_rows(lines, PAYMENTS)
    if parsed.problems:
        raise ImportFailed(source, parsed.problems)
    with ctx.db.write() as session:
        user = session.execute(
            select(User).where(User.username == username.strip().lower(), User.active)
        ).scalar_one_or_none()
        if user is None:
            raise NotFound(f'No active user "{username}": name the user the batch belongs to')
        batch = drawer.batch_session(session, ctx, user.id)
        keys = [row.idempotency_key for _, row in parsed.rows]
        done = set(
            session.execute(
                select(Transaction.idempotency_key).where(Transaction.idempotency_key.in_(keys))
            ).scalars()
        )
        problems: list[Problem] = []
        posted, total = 0, Money(0)
        for line, row in parsed.rows:
            if row.idempotency_key in done:
                continue
            try:
                with session.begin_nested():
                    post_within(
                        session,
                        ctx,
                        batch.id,
                        user.id,
                        check_requests([PaymentRequest(row.account_number, row.amount)]),
                        [row.tender],
                        row.idempotency_key,
                    )
            except CounterError as exc:
                problems.append((line, str(exc)))
                continue
            posted += 1
            total += row.amount
        if problems:
            raise ImportFailed(source, problems)  # the unit of work rolls back: nothing posted
        audit.record(
            session,
            ctx,
            "payments.import",
            user_id=user.id,
            entity="drawer_session",
            entity_id=batch.id,
            details={
                "file": source,
                "posted": posted,
                "total_cents": total.cents,
                "already_posted": len(done),
            },
        )
        return BatchResult(posted, total, len(done), batch.id)
