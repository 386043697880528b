"""Drawer sessions: open with a counted float, paid-in, paid-out, drop and no-sale.

Counting, closing and balancing are ``closeout``'s; ``lock_session`` is the cut-off they
share with posting. A batch session (no drawer) holds mail and
lockbox payments and reversals made away from a drawer.

The business date (DESIGN §3) has one rule, ``station_business_date``: everything at a
station belongs to its open drawer session's business date — a drawer opened on the evening
of 11/23 keeps posting 11/23 receipts after midnight — and a station with no open drawer is
on the office's date today. A session takes that date when it opens (``open_session``,
``batch_session``), and everything posted into it is of that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.db.models import CashMovement, DrawerSession, Transaction, User
from counter_app.domain.counts import CountKind
from counter_app.domain.denominations import check_counts, count_total
from counter_app.domain.errors import NotFound, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.sessions import (
    Movement,
    MovementKind,
    SessionInfo,
    SessionKind,
    SessionState,
    SessionTotals,
    check_movement,
    paid_out_cause,
)
from counter_app.domain.transactions import TransactionKind
from counter_app.services import audit, drawer_counts, overrides
from counter_app.services.context import Context


def session_info(row: DrawerSession, cashier: str) -> SessionInfo:
    return SessionInfo(
        id=row.id,
        kind=SessionKind(row.kind),
        user_id=row.user_id,
        cashier=cashier,
        station=row.station,
        business_date=row.business_date,
        state=SessionState(row.state),
        opened_at=row.opened_at,
        opening_float=Money(row.opening_float_cents),
    )


def _open_drawer_of(session: Session, user_id: int, station: str) -> DrawerSession | None:
    return session.execute(
        select(DrawerSession).where(
            DrawerSession.user_id == user_id,
            DrawerSession.station == station,
            DrawerSession.kind == SessionKind.DRAWER,
            DrawerSession.state == SessionState.OPEN,
        )
    ).scalar_one_or_none()


def station_business_date(session: Session, ctx: Context, station: str | None = None) -> dt.date:
    """The business date of ``station`` (default: this one) now: its open drawer session's
    business date, even when that session was opened on an earlier date; with no drawer
    open there, the office's date today (the date a drawer opened now would get)."""
    opened = session.execute(
        select(DrawerSession.business_date).where(
            DrawerSession.station == (station or ctx.station),
            DrawerSession.kind == SessionKind.DRAWER,
            DrawerSession.state == SessionState.OPEN,
        )
    ).scalar_one_or_none()
    return opened if opened is not None else ctx.today()


def business_date(ctx: Context, station: str | None = None) -> dt.date:
    """``station_business_date`` in a unit of work of its own (the header, the back office)."""
    with ctx.db.read() as session:
        return station_business_date(session, ctx, station)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound("That user no longer exists or is disabled")
    return user


def current_session(ctx: Context, user_id: int) -> SessionInfo | None:
    """The user's open drawer session at this station, if any."""
    with ctx.db.read() as session:
        row = _open_drawer_of(session, user_id, ctx.station)
        return session_info(row, _user(session, user_id).full_name) if row else None


def _refuse_rival_drawer(session: Session, station: str, user: User) -> None:
    """``ValidationError`` naming the open drawer that keeps ``user`` from opening one on
    ``station``: their own (here or elsewhere), or another cashier's on this station."""
    rival = session.execute(
        select(DrawerSession, User.full_name)
        .join(User, User.id == DrawerSession.user_id)
        .where(
            DrawerSession.kind == SessionKind.DRAWER,
            DrawerSession.state == SessionState.OPEN,
            or_(DrawerSession.user_id == user.id, DrawerSession.station == station),
        )
        .order_by(DrawerSession.user_id != user.id)  # their own drawer first
    ).first()
    if rival is None:
        return
    row, full_name = rival
    if row.user_id == user.id:
        raise ValidationError(
            f"{user.full_name} already has a drawer open on {row.station} (session #{row.id})"
            + ("" if row.station == station else ": it must be counted and closed first")
        )
    raise ValidationError(
        f"{full_name}'s drawer is still open on {station} (session #{row.id}): it must be "
        "counted and closed first"
    )


def _inserted(session: Session, row: DrawerSession) -> bool:
    """Add ``row``; false, and nothing added, when an "at most one open session" index
    refuses it because another unit of work opened a rival first (on PostgreSQL the insert
    waits for that one to commit, so the rival is visible to the next statement)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def open_session(ctx: Context, user_id: int, counts: Mapping[str, int]) -> SessionInfo:
    """Open a drawer with a float counted by denomination: one open drawer per station and
    one per cashier (the database refuses a second one whatever the timing). The same
    cashier asking twice at the same moment with the same count gets the one drawer."""
    clean = check_counts(counts)
    with ctx.db.write() as session:
        user = _user(session, user_id)
        _refuse_rival_drawer(session, ctx.station, user)
        row = DrawerSession(
            kind=SessionKind.DRAWER,
            user_id=user_id,
            station=ctx.station,
            business_date=station_business_date(session, ctx),  # no drawer open here: today
            state=SessionState.OPEN,
            opened_at=ctx.now(),
            opening_float_cents=count_total(clean).cents,
            opening_count=clean,
        )
        if not _inserted(session, row):
            twin = _open_drawer_of(session, user_id, ctx.station)
            if twin is not None and twin.opening_count == clean:
                return session_info(twin, user.full_name)
            _refuse_rival_drawer(session, ctx.station, user)
            raise ValidationError("Another drawer was opened at the same moment: try again")
        opening = drawer_counts.store_count(
            session, ctx, row.id, CountKind.OPEN, counted_by=user_id, cash=clean
        )
        audit.record(
            session,
            ctx,
            "session.open",
            user_id=user_id,
            entity="drawer_session",
            entity_id=row.id,
            details={"float_cents": row.opening_float_cents},
            rows=[row, *opening.rows],
        )
        return session_info(row, user.full_name)


def _open_batch_of(session: Session, user_id: int, day: dt.date) -> DrawerSession | None:
    return session.execute(
        select(DrawerSession)
        .where(
            DrawerSession.user_id == user_id,
            DrawerSession.kind == SessionKind.BATCH,
            DrawerSession.state == SessionState.OPEN,
            DrawerSession.business_date == day,
        )
        .with_for_update()  # the cut-off with a closing batch (``lock_session``)
    ).scalar_one_or_none()


def batch_session(session: Session, ctx: Context, user_id: int) -> DrawerSession:
    """The user's open batch session (no drawer) of this station's business date, made if
    needed; when another unit of work makes it at the same moment, that one.

    Returned checks and payment imports are back-office work, dated by the station they are
    done at (``station_business_date``), not by the user's own drawer: after midnight at a
    station whose drawer opened the evening before, the evening's date; at a station with no
    drawer open, today."""
    day = station_business_date(session, ctx)
    row = _open_batch_of(session, user_id, day)
    if row is not None:
        return row
    row = DrawerSession(
        kind=SessionKind.BATCH,
        user_id=user_id,
        station=ctx.station,
        business_date=day,
        state=SessionState.OPEN,
        opened_at=ctx.now(),
        opening_float_cents=0,
        opening_count={},
    )
    if not _inserted(session, row):
        winner = _open_batch_of(session, user_id, day)
        if winner is None:
            raise ValidationError("Another batch session was opened at the same moment: try again")
        return winner
    audit.record(
        session,
        ctx,
        "session.open_batch",
        user_id=user_id,
        entity="drawer_session",
        entity_id=row.id,
        rows=[row],
    )
    return row


def lock_session(session: Session, session_id: int, *, exclusive: bool) -> DrawerSession:
    """The session's row, locked for the rest of the unit of work: the cut-off between
    posting and closing. Everything that changes a session's money or state takes it
    ``exclusive`` (posting, movements, voids, the close, an approval, a reopen, a deposit),
    so a close waits for the posting under way to commit and a posting queued behind the
    close finds the session closed. (They all queue on the audit chain's head anyway, so
    a shared lock for posting would win nothing and, on PostgreSQL, could starve the close
    behind a stream of payments.) Reads take it shared. SQLite: the write lock taken at
    BEGIN does the same.
    """
    statement = _LOCK_EXCLUSIVE if exclusive else _LOCK_SHARED
    row = session.execute(statement, {"session_id": session_id}).scalar_one_or_none()
    if row is None:
        raise NotFound(f"No session #{session_id}")
    return row


def _locking(*, read: bool) -> Select[DrawerSession]:
    return (
        select(DrawerSession)
        .where(DrawerSession.id == bindparam("session_id"))
        .with_for_update(read=read)
        .execution_options(populate_existing=True)
    )


_LOCK_EXCLUSIVE = _locking(read=False)
_LOCK_SHARED = _locking(read=True)


@dataclass(frozen=True)
class PostingInto:
    """The open session a unit of work posts into (``require_open``), locked by it."""

    id: int
    kind: SessionKind
    station: str
    business_date: dt.date
    cashier: str  # the full name of its user, who posts: what a receipt prints


_LOCK_FOR_POSTING = (
    select(
        DrawerSession.id,
        DrawerSession.kind,
        DrawerSession.user_id,
        DrawerSession.station,
        DrawerSession.business_date,
        DrawerSession.state,
        User.full_name,
    )
    .join(User, User.id == DrawerSession.user_id)
    .where(DrawerSession.id == bindparam("session_id"))
    .with_for_update(of=DrawerSession)
)


def require_open(session: Session, session_id: int, user_id: int) -> PostingInto:
    """The session, if it is open and the user's own; its row locked as ``lock_session``
    locks it (exclusive), so a close racing this unit of work either counts what it posts
    or refuses it. Read with a Core statement: every posting takes it."""
    row = session.connection().execute(_LOCK_FOR_POSTING, {"session_id": session_id}).first()
    if row is None:
        raise NotFound(f"No session #{session_id}")
    state = SessionState(row.state)
    if state is not SessionState.OPEN:
        what = "batch" if row.kind == SessionKind.BATCH else "drawer"
        raise ValidationError(
            f"This {what} is closed: session #{session_id} is {state.label}, it takes "
            "nothing more. Log in and open a drawer first"
        )
    if row.user_id != user_id:
        raise ValidationError(f"Session #{session_id} belongs to another cashier")
    return PostingInto(row.id, SessionKind(row.kind), row.station, row.business_date, row.full_name)


def record_movement(
    ctx: Context,
    session_id: int,
    user_id: int,
    kind: MovementKind,
    amount: Money,
    reason: str,
    *,
    override_id: int | None = None,
) -> Movement:
    """Paid-in, paid-out, drop or no-sale, with its reason. A paid-out above the limit
    needs a supervisor override (``override_subject`` names it)."""
    amount, reason = check_movement(kind, amount, reason)
    with ctx.db.write() as session:
        drawer = require_open(session, session_id, user_id)
        if drawer.kind != SessionKind.DRAWER:
            raise ValidationError("A batch session has no drawer")
        override_row = None
        if kind is MovementKind.PAID_OUT and _paid_out_cause(session, ctx, session_id, amount):
            override_row = overrides.consume(
                session,
                ctx,
                override_id,
                OverrideAction.PAID_OUT,
                override_subject(kind, amount),
                user_id,
            )
        row = CashMovement(
            session_id=session_id,
            kind=kind.value,
            amount_cents=amount.cents,
            reason=reason,
            user_id=user_id,
            override_id=override_row.id if override_row else None,
            created_at=ctx.now(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            ctx,
            f"movement.{kind.value}",
            user_id=user_id,
            entity="cash_movement",
            entity_id=row.id,
            reason=reason,
            details={"amount_cents": amount.cents},
            rows=[row],
        )
        cashier = session.get(User, user_id)
        approver = session.get(User, override_row.approved_by_id) if override_row else None
        return Movement(
            row.id,
            session_id,
            kind,
            amount,
            reason,
            at=row.created_at,
            station=drawer.station,
            cashier=cashier.full_name if cashier else "",
            approved_by=approver.full_name if approver else "",
        )


def paid_out_override_cause(ctx: Context, session_id: int, amount: Money) -> str | None:
    """Why a paid-out of ``amount`` from this drawer needs a supervisor, or None."""
    with ctx.db.read() as session:
        return _paid_out_cause(session, ctx, session_id, amount)


def _paid_out_cause(session: Session, ctx: Context, session_id: int, amount: Money) -> str | None:
    before = session.execute(
        select(func.coalesce(func.sum(CashMovement.amount_cents), 0)).where(
            CashMovement.session_id == session_id,
            CashMovement.kind == MovementKind.PAID_OUT.value,
        )
    ).scalar_one()
    policy = ctx.settings.policy
    return paid_out_cause(
        amount,
        Money(int(before)),
        per_paid_out=policy.paid_out_override_limit,
        per_session=policy.paid_out_session_limit,
    )


def override_subject(kind: MovementKind, amount: Money) -> str:
    return f"{kind.label} {amount.format()}"


def session_totals(ctx: Context, session_id: int) -> SessionTotals:
    """Receipts posted and net money taken in a session (voids subtract): the header's
    "Today", which is the session's business day — every transaction in a session carries
    its business date, however late past midnight it was posted."""
    with ctx.db.read() as session:
        count, collected = session.execute(
            select(
                func.count(Transaction.id).filter(Transaction.kind == TransactionKind.PAYMENT),
                func.coalesce(func.sum(Transaction.total_cents), 0),
            ).where(Transaction.session_id == session_id)
        ).one()
        return SessionTotals(int(count), Money(int(collected)))
