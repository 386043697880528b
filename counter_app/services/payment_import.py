"""Mail and lockbox payments from a file, posted through the same posting service into a
batch session (no drawer) of the named user. All or nothing: every bad row is reported by
its line and nothing is posted; rows already posted (same idempotency key) are skipped, so
re-running a file posts nothing twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from counter_app.db.models import Receipt, Transaction, User
from counter_app.domain.csv_rows import Problem, read_csv_rows
from counter_app.domain.errors import CounterError, ImportFailed, NotFound, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.payment_rows import PAYMENTS
from counter_app.services import audit, sessions
from counter_app.services.context import Context
from counter_app.services.posting import (
    PaymentRequest,
    check_requests,
    digest_of,
    post_within,
    refuse_other_request,
)


@dataclass(frozen=True)
class BatchResult:
    posted: int
    total: Money
    already_posted: int
    session_id: int


def import_payments(ctx: Context, lines: Iterable[str], source: str, username: str) -> BatchResult:
    """Post every payment in the file, or none (``ImportFailed`` lists each bad line).

    The database checks run on every row that reads well even when other rows do not, in
    the same unit of work that is then rolled back, so one run reports every bad line."""
    parsed = read_csv_rows(lines, PAYMENTS)
    if not parsed.rows and not parsed.problems:  # a header and nothing else: change nothing
        raise ValidationError(f"{source}: no payments below the header, so nothing was posted")
    with ctx.db.write() as session:
        user = session.execute(
            select(User).where(User.username == username.strip().lower(), User.active)
        ).scalar_one_or_none()
        if user is None:
            raise NotFound(f'No active user "{username}": name the user the batch belongs to')
        batch = sessions.batch_session(session, ctx, user.id)
        keys = [row.idempotency_key for _, row in parsed.rows]
        done = {
            key: (digest, number)
            for key, digest, number in session.execute(
                select(Transaction.idempotency_key, Transaction.request_hash, Receipt.number)
                .join(Receipt, Receipt.transaction_id == Transaction.id)
                .where(Transaction.idempotency_key.in_(keys))
            )
        }
        problems: list[Problem] = list(parsed.problems)
        posted, total = 0, Money(0)
        for line, row in parsed.rows:
            try:
                requests = check_requests([PaymentRequest(row.account_number, row.amount)])
                if row.idempotency_key in done:
                    stored, receipt = done[row.idempotency_key]
                    refuse_other_request(stored, digest_of(requests, [row.tender]), receipt)
                    continue
                with session.begin_nested():
                    post_within(
                        session, ctx, batch.id, user.id, requests, [row.tender], row.idempotency_key
                    )
            except CounterError as exc:
                problems.append((line, str(exc)))
                continue
            posted += 1
            total += row.amount
        if problems:  # the unit of work rolls back: nothing posted
            raise ImportFailed(source, sorted(problems, key=lambda p: p[0]))
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
