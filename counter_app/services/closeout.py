"""Closing a session: the blind count, recounts, a supervisor's approval of a variance,
reopening, a batch's tape; the X read and the Z; the supervisor's day of sessions.

Every figure comes from ``domain.closeout.expected_figures`` over set-based sums (GROUP BY)
of the session's tenders, change and cash movements. The close is one unit of work that
locks the session row (``sessions.lock_session``) before it sums anything, and posting
locks the same row: a payment racing the close is either committed before
the close sums (and so counted) or waits and is then refused with "This drawer is closed".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Account,
    CashMovement,
    Deposit,
    DepositSession,
    DrawerSession,
    Override,
    Payment,
    Receipt,
    SessionStep,
    Tender,
    Transaction,
    User,
)
from counter_app.domain.closeout import (
    DRAWER_TENDERS,
    NOT_IN_DRAWER,
    Balance,
    SessionActivity,
    Tape,
    TapeCheck,
    activity_from,
    balance,
    expected_figures,
)
from counter_app.domain.counts import (
    ITEM_TENDERS,
    CountItem,
    CountKind,
    DrawerCount,
    counted_figures,
)
from counter_app.domain.end_of_day import (
    CloseResult,
    CountRecord,
    CountSheet,
    DrawerReport,
    SessionSummary,
    StepRecord,
    VoidedReceipt,
)
from counter_app.domain.errors import CounterError, PermissionDenied, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import (
    Movement,
    MovementKind,
    SessionInfo,
    SessionKind,
    SessionState,
    check_step,
)
from counter_app.domain.text import untrusted_text_refusal
from counter_app.domain.transactions import TransactionKind
from counter_app.domain.users import Role
from counter_app.services import audit, drawer_counts, overrides, sessions
from counter_app.services.context import Context
from counter_app.services.users import LoginRefused, check_login


def variance_subject(session_id: int) -> str:
    """What a VARIANCE override names."""
    return f"Session #{session_id}"


def reopen_subject(session_id: int) -> str:
    """What a REOPEN override names."""
    return f"Session #{session_id}"


# --- figures ------------------------------------------------------------------------------
_TENDERS, _CHANGE, _MOVED = "tender", "change", "movement"


def activities(session: Session, rows: Sequence[DrawerSession]) -> dict[int, SessionActivity]:
    """Each session's activity from one statement: three GROUP BY sums (tenders by
    transaction and tender kind, change given, cash movements by kind) as one UNION ALL."""
    ids = [r.id for r in rows]
    tenders: dict[int, list[tuple[str, str, Money]]] = {i: [] for i in ids}
    change: dict[int, Money] = {}
    moved: dict[int, list[tuple[str, Money]]] = {i: [] for i in ids}
    if ids:
        sums = union_all(
            select(
                literal(_TENDERS).label("src"),
                Transaction.session_id,
                Transaction.kind,
                Tender.kind,
                func.sum(Tender.amount_cents),
            )
            .join(Tender, Tender.transaction_id == Transaction.id)
            .where(Transaction.session_id.in_(ids))
            .group_by(Transaction.session_id, Transaction.kind, Tender.kind),
            select(
                literal(_CHANGE),
                Transaction.session_id,
                literal(""),
                literal(""),
                func.sum(Transaction.change_cents),
            )
            .where(Transaction.session_id.in_(ids))
            .group_by(Transaction.session_id),
            select(
                literal(_MOVED),
                CashMovement.session_id,
                CashMovement.kind,
                literal(""),
                func.sum(CashMovement.amount_cents),
            )
            .where(CashMovement.session_id.in_(ids))
            .group_by(CashMovement.session_id, CashMovement.kind),
        )
        for src, sid, kind, tender_kind, cents in session.execute(sums):
            if src == _TENDERS:
                tenders[sid].append((kind, tender_kind, Money(int(cents))))
            elif src == _CHANGE:
                change[sid] = Money(int(cents))
            else:
                moved[sid].append((kind, Money(int(cents))))
    return {
        r.id: activity_from(
            Money(r.opening_float_cents), tenders[r.id], change.get(r.id, Money(0)), moved[r.id]
        )
        for r in rows
    }


def _tolerances(ctx: Context) -> dict[TenderKind, Money]:
    return {kind: ctx.settings.closeout.tolerance(kind.value) for kind in DRAWER_TENDERS}


def session_items(
    session: Session, session_id: int, kinds: Sequence[TenderKind] = ITEM_TENDERS
) -> list[CountItem]:
    """The tenders of ``kinds`` the session's payments took and still hold: each less what
    a void or refund in the session gave back of it (a returned check does not count: it
    is the bank's chargeback, after the deposit); those given back in full are gone. One
    statement: a row per tender and account paid, in tender then payment order."""
    given_back = (
        select(Tender.reverses_id, func.sum(Tender.amount_cents).label("cents"))
        .join(Transaction, Tender.transaction_id == Transaction.id)
        .where(
            Transaction.session_id == session_id,
            Tender.reverses_id.is_not(None),
            Transaction.kind.not_in(NOT_IN_DRAWER),
        )
        .group_by(Tender.reverses_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Tender.id,
            Tender.kind,
            Tender.reference,
            Tender.bank,
            Tender.amount_cents + func.coalesce(given_back.c.cents, 0),
            Receipt.number,
            Account.number,
        )
        .join(Transaction, Tender.transaction_id == Transaction.id)
        .join(Receipt, Receipt.transaction_id == Transaction.id)
        .outerjoin(Payment, Payment.transaction_id == Transaction.id)
        .outerjoin(Account, Account.id == Payment.account_id)
        .outerjoin(given_back, given_back.c.reverses_id == Tender.id)
        .where(
            Transaction.session_id == session_id,
            Transaction.kind == TransactionKind.PAYMENT.value,
            Tender.kind.in_([k.value for k in kinds]),
        )
        .order_by(Tender.id, Payment.id)
    ).all()
    kind_of = {k.value: k for k in kinds}
    items = []
    for tender_id, paid in groupby(rows, key=itemgetter(0)):
        [first, *more] = paid
        _, kind, reference, bank, cents, receipt, _ = first
        if int(cents) > 0:
            accounts = tuple(r[6] for r in (first, *more) if r[6] is not None)
            items.append(
                CountItem(
                    tender_id, kind_of[kind], reference, bank, Money(int(cents)), accounts, receipt
                )
            )
    return items


# --- who may ------------------------------------------------------------------------------
def _acting(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise PermissionDenied("That user no longer exists or is disabled")
    return user


def _is_supervisor(user: User) -> bool:
    return Role(user.role).can_approve


def _refuse_unless_own_or_supervisor(user: User, row: DrawerSession) -> None:
    if row.user_id != user.id and not _is_supervisor(user):
        raise PermissionDenied(
            f"Session #{row.id} is another cashier's: its cashier or a supervisor counts it"
        )


def _refuse_unless_supervisor(user: User, what: str) -> None:
    if not _is_supervisor(user):
        raise PermissionDenied(f"{what}: a supervisor must do this")


# --- the count ----------------------------------------------------------------------------
def count_sheet(ctx: Context, session_id: int, user_id: int) -> CountSheet:
    """What the close-count screen lists before the count: the checks and money orders to
    tick. No expected figure (the count is blind)."""
    with ctx.db.read() as session:
        row = sessions.lock_session(session, session_id, exclusive=False)
        user = _acting(session, user_id)
        _refuse_unless_own_or_supervisor(user, row)
        _refuse_unless_countable(row)
        return CountSheet(
            session=_info(session, row),
            items=tuple(session_items(session, row.id)),
            dual_control=ctx.settings.closeout.dual_control,
        )


def _info(session: Session, row: DrawerSession) -> SessionInfo:
    cashier = session.get(User, row.user_id)
    return sessions.session_info(row, cashier.full_name if cashier else "")


def _refuse_unless_countable(row: DrawerSession) -> SessionState:
    state = SessionState(row.state)
    if state in (SessionState.OPEN, SessionState.COUNTED):
        return state
    raise ValidationError(
        f"Session #{row.id} is {state.label}: it is not counted again unless a supervisor "
        "reopens it"
    )


def _verifier(
    session: Session, ctx: Context, user_id: int, username: str, password: str
) -> tuple[User | None, CounterError | None]:
    """The second person of a dual-controlled count, or why not (a refused password is
    returned, not raised, so the failed attempt is kept: ``check_login``)."""
    if not username.strip():
        if ctx.settings.closeout.dual_control:
            return None, ValidationError(
                "Dual control: a second person must verify this count with their own password"
            )
        return None, None
    try:
        verifier = check_login(session, ctx, username, password)
    except LoginRefused as refused:
        return None, refused.error
    if verifier.id == user_id:
        return None, ValidationError("The count must be verified by someone other than its counter")
    return verifier, None


def submit_count(
    ctx: Context,
    session_id: int,
    user_id: int,
    count: DrawerCount,
    *,
    verifier: str = "",
    verifier_password: str = "",
) -> CloseResult:
    """Store a blind close count (a recount keeps the earlier ones) and only then say how
    it balances: within tolerance on every tender the session is closed; beyond, it stays
    counted until a recount balances or a supervisor approves (``approve_variance``)."""
    with ctx.db.write() as session:
        row = sessions.lock_session(session, session_id, exclusive=True)
        user = _acting(session, user_id)
        _refuse_unless_own_or_supervisor(user, row)
        if row.kind == SessionKind.BATCH:
            raise ValidationError(
                f"Session #{row.id} is a batch: it closes with its tape (items and total)"
            )
        state = _refuse_unless_countable(row)
        second, failure = _verifier(session, ctx, user_id, verifier, verifier_password)
        if failure is None:
            items = session_items(session, row.id)
            figures = counted_figures(count, items)
            expected = expected_figures(activities(session, [row])[row.id])
            result = balance(expected, figures.counted, _tolerances(ctx))
            stored = drawer_counts.store_count(
                session,
                ctx,
                row.id,
                CountKind.CLOSE,
                counted_by=user_id,
                cash=figures.cash,
                counted=figures.counted,
                expected=expected,
                card_batch=count.card_batch,
                ticked=[i.tender_id for i in figures.ticked],
                verified_by=second.id if second else None,
            )
            steps = _counted(session, ctx, row, state, stored.id, user_id, result.within_tolerance)
            _record_count(
                session,
                ctx,
                row,
                stored,
                steps,
                user_id,
                over_short_cents=result.over_short.cents,
                verified_by=second.username if second else "",
                missing=[i.tender_id for i in figures.missing],
            )
            names = {user.id: user.full_name, **({second.id: second.full_name} if second else {})}
            return CloseResult(
                row.id, SessionState(row.state), stored.record(names), result, figures.missing
            )
    raise failure


def _record_count(
    session: Session,
    ctx: Context,
    row: DrawerSession,
    stored: drawer_counts.StoredCount,
    steps: Sequence[SessionStep],
    user_id: int,
    **figures: object,
) -> None:
    """The ``session.count`` event of a count or a tape just stored: which count, its
    attempt, the state it left the session in and its ``figures``, covering its rows."""
    audit.record(
        session,
        ctx,
        "session.count",
        user_id=user_id,
        entity="drawer_session",
        entity_id=row.id,
        details={"count_id": stored.id, "attempt": stored.attempt, "state": row.state, **figures},
        rows=[*stored.rows, *steps],
    )


def _counted(
    session: Session,
    ctx: Context,
    row: DrawerSession,
    state: SessionState,
    count_id: int,
    user_id: int,
    balanced: bool,
) -> list[SessionStep]:
    """Move a just-counted session on: to counted, and to closed when it balanced (its own
    audit event, covering that step). The step to counted, for the count's event."""
    steps = []
    if state is SessionState.OPEN:
        steps.append(
            record_step(session, ctx, row, SessionState.COUNTED, user_id, count_id=count_id)
        )
    row.counted_at = ctx.now()
    if balanced:
        closed = record_step(
            session,
            ctx,
            row,
            SessionState.CLOSED,
            user_id,
            count_id=count_id,
            reason="within tolerance",
        )
        audit.record(
            session,
            ctx,
            "session.close",
            user_id=user_id,
            entity="drawer_session",
            entity_id=row.id,
            details={"count_id": count_id},
            rows=[closed],
        )
    return steps


def record_step(
    session: Session,
    ctx: Context,
    row: DrawerSession,
    target: SessionState,
    user_id: int,
    *,
    count_id: int | None = None,
    approved_by: int | None = None,
    override_id: int | None = None,
    reason: str = "",
    override: bool = False,
) -> SessionStep:
    """Move the session to ``target`` (as ``check_step`` allows) and record the step (for
    the audit event of the move to cover)."""
    current = SessionState(row.state)
    check_step(current, target, override=override)
    row.state = target.value
    if target is SessionState.CLOSED:
        row.approved_by_id, row.approved_at = approved_by, ctx.now()
    if target is SessionState.OPEN:
        row.approved_by_id, row.approved_at = None, None
    step = SessionStep(
        session_id=row.id,
        from_state=current.value,
        to_state=target.value,
        count_id=count_id,
        user_id=user_id,
        approved_by_id=approved_by,
        override_id=override_id,
        reason=reason,
        at=ctx.now(),
    )
    session.add(step)
    session.flush()
    return step


def submit_tape(ctx: Context, session_id: int, user_id: int, tape: Tape) -> CloseResult:
    """Close a batch session with its 10-key tape ("47 items, $6,212.40"), checked against
    what the batch posted: it closes when both match, else it stays counted (re-run the
    tape, or a supervisor approves)."""
    if tape.items < 0 or tape.total.is_negative:
        raise ValidationError("A tape's items and total are zero or more")
    with ctx.db.write() as session:
        row = sessions.lock_session(session, session_id, exclusive=True)
        user = _acting(session, user_id)
        _refuse_unless_own_or_supervisor(user, row)
        if row.kind != SessionKind.BATCH:
            raise ValidationError(f"Session #{row.id} is a drawer: count it by denomination")
        state = _refuse_unless_countable(row)
        items = session_items(session, row.id, DRAWER_TENDERS)
        posted = Tape(len(items), Money(sum(i.amount.cents for i in items)))
        check = TapeCheck(tape, posted)
        stored = drawer_counts.store_count(
            session, ctx, row.id, CountKind.CLOSE, counted_by=user_id, cash={}, tape=check
        )
        steps = _counted(session, ctx, row, state, stored.id, user_id, check.matches)
        _record_count(
            session,
            ctx,
            row,
            stored,
            steps,
            user_id,
            tape_items=tape.items,
            tape_cents=tape.total.cents,
            posted_items=posted.items,
            posted_cents=posted.total.cents,
        )
        record = stored.record({user.id: user.full_name})
        return CloseResult(row.id, SessionState(row.state), record, None)


# --- a supervisor's steps -----------------------------------------------------------------
def _supervisor_step(
    session: Session,
    ctx: Context,
    user: User,
    row: DrawerSession,
    action: OverrideAction,
    subject: str,
    grant_id: int | None,
    reason: str,
) -> tuple[int, int | None, str]:
    """Who approves a supervisor's step and why: the grant's supervisor and reason (asked
    for on the cashier's screen), or the signed-in supervisor themself when they are not
    the session's cashier, with the reason they give. (approver id, override id, reason)"""
    if grant_id is not None:
        grant = overrides.consume(session, ctx, grant_id, action, subject, user.id)
        return grant.approved_by_id, grant.id, grant.reason
    if not _is_supervisor(user) or user.id == row.user_id:
        raise PermissionDenied(f"{action.label} needs a supervisor override")
    reason = reason.strip()
    if not reason:
        raise ValidationError(f"{action.label}: enter the reason")
    if refusal := untrusted_text_refusal(f"{action.label} reason", reason):
        raise ValidationError(refusal)
    return user.id, None, reason


def approve_variance(
    ctx: Context, session_id: int, user_id: int, *, grant_id: int | None = None, reason: str = ""
) -> CloseResult:
    """A supervisor approves the over/short of a counted session's last count: closed.
    Either with a VARIANCE grant (``variance_subject``) or as the signed-in supervisor."""
    with ctx.db.write() as session:
        row = sessions.lock_session(session, session_id, exclusive=True)
        user = _acting(session, user_id)
        if SessionState(row.state) is not SessionState.COUNTED:
            raise ValidationError(
                f"Session #{row.id} is {SessionState(row.state).label}: only a counted session "
                "waits for a supervisor's approval"
            )
        approver, override_id, why = _supervisor_step(
            session,
            ctx,
            user,
            row,
            OverrideAction.VARIANCE,
            variance_subject(row.id),
            grant_id,
            reason,
        )
        record = [
            c
            for c in drawer_counts.count_records(session, [row.id])[row.id]
            if c.kind is CountKind.CLOSE
        ][-1]
        step = record_step(
            session,
            ctx,
            row,
            SessionState.CLOSED,
            user_id,
            count_id=record.id,
            approved_by=approver,
            override_id=override_id,
            reason=why,
        )
        audit.record(
            session,
            ctx,
            "session.approve",
            user_id=user_id,
            entity="drawer_session",
            entity_id=row.id,
            reason=why,
            details={
                "count_id": record.id,
                "over_short_cents": record.over_short.cents,
                "approved_by": approver,
            },
            rows=[step],
        )
        return CloseResult(row.id, SessionState.CLOSED, record, _balance_of(ctx, record))


def _balance_of(ctx: Context, record: CountRecord) -> Balance | None:
    if record.tape is not None:
        return None
    return balance(record.expected, record.counted, _tolerances(ctx))


def reopen(
    ctx: Context, session_id: int, user_id: int, *, grant_id: int | None = None, reason: str = ""
) -> SessionInfo:
    """Reopen a counted or closed session (a REOPEN grant, ``reopen_subject``, or the
    signed-in supervisor); audited; never one once deposited."""
    with ctx.db.write() as session:
        row = sessions.lock_session(session, session_id, exclusive=True)
        user = _acting(session, user_id)
        state = SessionState(row.state)
        if state is SessionState.DEPOSITED:
            raise ValidationError(
                f"Session #{row.id} is deposited: a deposited session is never reopened"
            )
        if state is SessionState.OPEN:
            raise ValidationError(f"Session #{row.id} is already open")
        approver, override_id, why = _supervisor_step(
            session,
            ctx,
            user,
            row,
            OverrideAction.REOPEN,
            reopen_subject(row.id),
            grant_id,
            reason,
        )
        try:
            with session.begin_nested():
                step = record_step(
                    session,
                    ctx,
                    row,
                    SessionState.OPEN,
                    user_id,
                    approved_by=approver,
                    override_id=override_id,
                    reason=why,
                    override=True,
                )
        except IntegrityError:
            raise ValidationError(
                f"Session #{row.id} cannot be reopened while its cashier or station has another "
                "drawer open: close that one first"
            ) from None
        audit.record(
            session,
            ctx,
            "session.reopen",
            user_id=user_id,
            entity="drawer_session",
            entity_id=row.id,
            reason=why,
            details={"from": state.value, "approved_by": approver},
            rows=[step],
        )
        return _info(session, row)


# --- reads ----------------------------------------------------------------------------------
def x_read(ctx: Context, session_id: int, user_id: int) -> DrawerReport:
    """The session's figures at any time. Supervisors only: it shows the expected cash a
    blind count must not see."""
    with ctx.db.read() as session:
        _refuse_unless_supervisor(_acting(session, user_id), "The X read shows expected cash")
        return _report(session, ctx, sessions.lock_session(session, session_id, exclusive=False))


def z_read(ctx: Context, session_id: int, user_id: int) -> DrawerReport:
    """The session's figures once it is counted (the Z tape, the drawer balancing report):
    for its cashier or a supervisor."""
    with ctx.db.read() as session:
        row = sessions.lock_session(session, session_id, exclusive=False)
        _refuse_unless_own_or_supervisor(_acting(session, user_id), row)
        if SessionState(row.state) is SessionState.OPEN:
            raise ValidationError(
                f"Session #{row.id} is open: its Z comes with the close count (a supervisor "
                "can take an X read any time)"
            )
        return _report(session, ctx, row)


def _report(session: Session, ctx: Context, row: DrawerSession) -> DrawerReport:
    activity = activities(session, [row])[row.id]
    expected = expected_figures(activity)
    counts = tuple(drawer_counts.count_records(session, [row.id])[row.id])
    closes = [c for c in counts if c.kind is CountKind.CLOSE and c.tape is None]
    last = closes[-1] if closes else None
    receipts = session.execute(
        select(func.count(Transaction.id)).where(
            Transaction.session_id == row.id, Transaction.kind == TransactionKind.PAYMENT.value
        )
    ).scalar_one()
    return DrawerReport(
        session=_info(session, row),
        activity=activity,
        expected=expected,
        receipts=int(receipts),
        voids=_voids(session, row.id),
        movements=_movements(session, row),
        counts=counts,
        steps=_steps(session, row.id),
        balance=balance(expected, last.counted if last else None, _tolerances(ctx)),
        at=ctx.now(),
    )


def _voids(session: Session, session_id: int) -> tuple[VoidedReceipt, ...]:
    original = select(Receipt.transaction_id, Receipt.number).subquery()
    rows = session.execute(
        select(
            original.c.number,
            Receipt.number,
            Transaction.total_cents,
            Transaction.created_at,
            Transaction.reason,
            Transaction.override_id,
        )
        .join(Receipt, Receipt.transaction_id == Transaction.id)
        .join(original, original.c.transaction_id == Transaction.reverses_id)
        .where(Transaction.session_id == session_id, Transaction.kind == TransactionKind.VOID.value)
        .order_by(Transaction.id)
    ).all()
    approvers = _override_approvers(session, [r[5] for r in rows])
    return tuple(
        VoidedReceipt(number, void_number, Money(-int(cents)), at, reason, approvers.get(oid, ""))
        for number, void_number, cents, at, reason, oid in rows
    )


def _override_approvers(session: Session, override_ids: Sequence[int | None]) -> dict[int, str]:
    ids = [i for i in override_ids if i is not None]
    if not ids:
        return {}
    return dict(
        session.execute(
            select(Override.id, User.full_name)
            .join(User, User.id == Override.approved_by_id)
            .where(Override.id.in_(ids))
        ).all()
    )


def _movements(session: Session, row: DrawerSession) -> tuple[Movement, ...]:
    rows = session.execute(
        select(CashMovement, User.full_name, Override.approved_by_id)
        .join(User, User.id == CashMovement.user_id)
        .outerjoin(Override, Override.id == CashMovement.override_id)
        .where(CashMovement.session_id == row.id)
        .order_by(CashMovement.id)
    ).all()
    names = drawer_counts.user_names(session, {a for _, _, a in rows if a})
    return tuple(
        Movement(
            m.id,
            row.id,
            MovementKind(m.kind),
            Money(m.amount_cents),
            m.reason,
            at=m.created_at,
            station=row.station,
            cashier=cashier,
            approved_by=names.get(approver, "") if approver else "",
        )
        for m, cashier, approver in rows
    )


def _steps(session: Session, session_id: int) -> tuple[StepRecord, ...]:
    rows = (
        session.execute(
            select(SessionStep).where(SessionStep.session_id == session_id).order_by(SessionStep.id)
        )
        .scalars()
        .all()
    )
    people = {r.user_id for r in rows} | {r.approved_by_id for r in rows if r.approved_by_id}
    names = drawer_counts.user_names(session, people)
    return tuple(
        StepRecord(
            r.id,
            SessionState(r.from_state),
            SessionState(r.to_state),
            r.at,
            names.get(r.user_id, ""),
            names.get(r.approved_by_id, "") if r.approved_by_id else "",
            r.reason,
            r.count_id,
        )
        for r in rows
    )


def day_summary(ctx: Context, business_date: dt.date, user_id: int) -> tuple[SessionSummary, ...]:
    """The supervisor's table: every session of the business date (drawers and batches),
    its cashier, station, state, net collected, last count's over/short, deposit slip."""
    with ctx.db.read() as session:
        _refuse_unless_supervisor(_acting(session, user_id), "The day's over/short")
        rows = (
            session.execute(
                select(DrawerSession)
                .where(DrawerSession.business_date == business_date)
                .order_by(DrawerSession.id)
            )
            .scalars()
            .all()
        )
        figures = activities(session, rows)
        counts = drawer_counts.count_records(session, [r.id for r in rows])
        names = drawer_counts.user_names(session, {r.user_id for r in rows})
        slips = (
            dict(
                session.execute(
                    select(DepositSession.session_id, Deposit.slip_number)
                    .join(Deposit, Deposit.id == DepositSession.deposit_id)
                    .where(DepositSession.session_id.in_([r.id for r in rows]))
                ).all()
            )
            if rows
            else {}
        )
        summaries = []
        for r in rows:
            closes = [c for c in counts[r.id] if c.kind is CountKind.CLOSE]
            summaries.append(
                SessionSummary(
                    id=r.id,
                    kind=SessionKind(r.kind),
                    cashier=names.get(r.user_id, ""),
                    station=r.station,
                    business_date=r.business_date,
                    state=SessionState(r.state),
                    collected=figures[r.id].collected,
                    over_short=closes[-1].over_short if closes else None,
                    deposit_slip=slips.get(r.id, ""),
                )
            )
        return tuple(summaries)
