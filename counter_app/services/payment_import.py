"""Mail and lockbox payments from a file, posted through the same posting service into a
batch session (no drawer) of the named user.

The file is read twice, a row at a time (never whole): first every row is checked — by
itself, then against the database by posting it in a unit of work that is rolled back — and
every bad row is reported by its line with nothing posted; then it is posted in chunks,
each one unit of work committed all or nothing. A chunk holds at most ``CHUNK_ROWS`` rows
and ends early after ``CHUNK_SECONDS``, so a counter post never waits long behind it (on
SQLite every writer waits for it; on PostgreSQL one that shares its accounts or its
station's receipt sequence). Each row is keyed (its ``idempotency_key``), so a file run
again — after a crash, or a stop — posts only what is missing and counts the rest as
already posted. Chunks take their locks in the one order (``posting.lock_accounts``) and
lose no race (``db.retry.retried``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import Receipt, Transaction, User
from counter_app.db.retry import retried
from counter_app.domain.csv_rows import ParsedFile, Problem, stream_csv_rows
from counter_app.domain.errors import (
    CounterError,
    ImportFailed,
    ImportStopped,
    NotFound,
    ValidationError,
)
from counter_app.domain.money import Money
from counter_app.domain.payment_rows import PAYMENTS, PaymentRow
from counter_app.services import audit, sessions
from counter_app.services.context import Context
from counter_app.services.posting import (
    PaymentRequest,
    check_requests,
    digest_of,
    lock_accounts,
    post_within,
    refuse_other_request,
)

CHUNK_ROWS = 200
CHUNK_SECONDS = 0.05
# SQLite's busy handler polls (1, 2, 5 … 25 ms apart): without a pause between chunks the
# import takes the file again before a waiting counter post wakes up, and starves it
SQLITE_TURN = 0.03

Row = tuple[int, PaymentRow]  # (line, payment)


@dataclass(frozen=True)
class BatchResult:
    posted: int
    total: Money
    already_posted: int
    session_id: int


@dataclass(frozen=True)
class Chunking:
    """How big a chunk may grow: ``rows`` at most, and no more rows once ``seconds`` passed."""

    rows: int = CHUNK_ROWS
    seconds: float = CHUNK_SECONDS


@dataclass
class _Done:
    """What a pass (or one chunk of it) did: rows taken, posted (or, checking, postable),
    already posted, and the problems found."""

    taken: int = 0
    posted: int = 0
    total: Money = field(default_factory=lambda: Money(0))
    already: int = 0
    problems: list[Problem] = field(default_factory=list)
    session_id: int = 0

    def add(self, chunk: _Done) -> None:
        self.taken += chunk.taken
        self.posted += chunk.posted
        self.total += chunk.total
        self.already += chunk.already
        self.problems += chunk.problems
        self.session_id = chunk.session_id or self.session_id


class _CheckedOnly(Exception):
    """Raised to roll back a chunk that was only being checked (or that failed)."""

    def __init__(self, done: _Done) -> None:
        self.done = done


def import_payments(
    ctx: Context,
    lines: Iterable[str],
    source: str,
    username: str,
    *,
    chunking: Chunking = Chunking(),
) -> BatchResult:
    """Post every payment in the file, or none if a row is bad (``ImportFailed`` lists each
    bad line). ``lines`` is read twice: a list, or ``importing.read_lines`` of a file.

    Should a row checked good be refused when its chunk posts (another station changed the
    account in between), the import stops there (``ImportStopped``): the chunks before it
    stay posted, and running the file again posts the rest."""
    if iter(lines) is lines:  # a one-shot iterator cannot be read twice
        lines = list(lines)
    user_id = _user_id(ctx, username)
    checked = _pass(ctx, lines, user_id, chunking, commit=False)
    if not checked.taken and not checked.problems:  # a header and nothing else
        raise ValidationError(f"{source}: no payments below the header, so nothing was posted")
    if checked.problems:
        raise ImportFailed(source, sorted(checked.problems, key=lambda p: p[0]))
    done = _pass(ctx, lines, user_id, chunking, commit=True)
    if done.problems:
        [(line, reason)] = done.problems
        raise ImportStopped(source, line, reason, done.posted)
    _record_import(ctx, user_id, done, source)
    return BatchResult(done.posted, done.total, done.already, done.session_id)


def _user_id(ctx: Context, username: str) -> int:
    with ctx.db.read() as session:
        user_id = session.execute(
            select(User.id).where(User.username == username.strip().lower(), User.active)
        ).scalar_one_or_none()
    if user_id is None:
        raise NotFound(f'No active user "{username}": name the user the batch belongs to')
    return user_id


def _pass(
    ctx: Context, lines: Iterable[str], user_id: int, chunking: Chunking, *, commit: bool
) -> _Done:
    """Read the file once, chunk by chunk: check each row (``commit`` false: every problem,
    nothing kept), or post them (``commit``: up to the first refused row)."""
    parsed: ParsedFile[PaymentRow] = ParsedFile()
    rows: Iterator[Row] = stream_csv_rows(lines, PAYMENTS, parsed)
    done = _Done()
    waiting: list[Row] = []
    while True:
        waiting += islice(rows, chunking.rows - len(waiting))
        if not waiting:
            break
        chunk = _chunk(ctx, user_id, waiting, chunking.seconds, commit=commit)
        done.add(chunk)
        if commit and chunk.problems:
            return done
        del waiting[: chunk.taken]
        if not ctx.db.is_postgres:  # PostgreSQL queues lock waiters: their turn comes
            time.sleep(SQLITE_TURN)
    done.problems += parsed.problems
    return done


@retried
def _chunk(ctx: Context, user_id: int, rows: list[Row], seconds: float, *, commit: bool) -> _Done:
    """One unit of work over the first of ``rows`` (all of them, or those taken within
    ``seconds``): locks their accounts at once (the one lock order), skips the keys already
    posted, posts the others; committed only when ``commit`` and no row was refused."""
    started = time.monotonic()
    try:
        with ctx.db.write() as session, audit.deferred(session, ctx):
            batch = sessions.batch_session(session, ctx, user_id)
            done = _Done(session_id=batch.id)
            lock_accounts(session, (row.account_number for _, row in rows), all_needed=False)
            posted = _posted_keys(session, [row.idempotency_key for _, row in rows])
            for line, row in rows:
                done.taken += 1
                try:
                    requests = check_requests([PaymentRequest(row.account_number, row.amount)])
                    digest = digest_of(requests, [row.tender])
                    if row.idempotency_key in posted:
                        stored, receipt = posted[row.idempotency_key]
                        refuse_other_request(stored, digest, receipt)
                        done.already += 1
                        continue
                    # checking, a refused row leaves the others' work; posting, it ends the chunk
                    with nullcontext() if commit else session.begin_nested():
                        key = row.idempotency_key
                        post_within(
                            session, ctx, batch.id, user_id, requests, [row.tender], key, digest
                        )
                except CounterError as exc:
                    done.problems.append((line, str(exc)))
                    if commit:
                        raise _CheckedOnly(_Done(done.taken, problems=done.problems)) from None
                    continue
                done.posted += 1
                done.total += row.amount
                if time.monotonic() - started > seconds:
                    break
            if not commit:
                raise _CheckedOnly(done)
            return done
    except _CheckedOnly as rolled_back:
        return rolled_back.done


def _posted_keys(session: Session, keys: list[str]) -> dict[str, tuple[str | None, str]]:
    """The keys among ``keys`` that already posted: (request digest, receipt number)."""
    return {
        key: (digest, number)
        for key, digest, number in session.execute(
            select(Transaction.idempotency_key, Transaction.request_hash, Receipt.number)
            .join(Receipt, Receipt.transaction_id == Transaction.id)
            .where(Transaction.idempotency_key.in_(keys))
        )
    }


@retried
def _record_import(ctx: Context, user_id: int, done: _Done, source: str) -> None:
    with ctx.db.write() as session:
        audit.record(
            session,
            ctx,
            "payments.import",
            user_id=user_id,
            entity="drawer_session",
            entity_id=done.session_id,
            details={
                "file": source,
                "posted": done.posted,
                "total_cents": done.total.cents,
                "already_posted": done.already,
            },
        )
