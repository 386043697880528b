"""A demo business day played through the real services (``counter-app demo-day``, and
yesterday's day on ``make run``'s first start).

Three demo cashiers open drawers on three stations, take the planned payments
(``domain.demo_day``), void a few with the supervisor's override, pay in, pay out, drop and
open for no sale; the supervisor posts the morning's mail as a batch; at five the drawers
are counted blind (one short beyond the tolerance and approved by the supervisor, one
verified by the supervisor: dual control), the bank's returned check goes into the batch,
the batch is closed with its tape and every session is deposited on one slip.

Each step is its own unit of work, as at the counter, at its planned time on the office's
clock. The day is refused, before anything is written, for a date that already has
sessions, a date after today, or a database without the demo users and accounts.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from counter_app.db.models import Account, Charge, DrawerSession, User
from counter_app.domain.accounts import AccountStatus
from counter_app.domain.closeout import Tape
from counter_app.domain.counts import DrawerCount
from counter_app.domain.demo_day import (
    CLOSES_AT,
    DEPOSIT_AT,
    MAIL_AT,
    RETURNED_AT,
    TAPE_AT,
    VOID_AFTER,
    CloseKind,
    DayPlan,
    DrawerPlan,
    Payable,
    PlannedMovement,
    PlannedPayment,
    at,
    cash_count,
    check_size,
    plan_day,
)
from counter_app.domain.deposits import Deposit
from counter_app.domain.errors import AuthenticationFailed, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import SessionKind, SessionState
from counter_app.services import (
    closeout,
    demo_data,
    deposits,
    overrides,
    payment_import,
    posting,
    sessions,
    users,
    voids,
)
from counter_app.services.bulk import Progress
from counter_app.services.context import Context
from counter_app.services.demo_data import DemoUser

DEFAULT_PAYMENTS = 400
DEFAULT_SEED = 1
DRAWERS = (
    ("W01", "cashier", CloseKind.BALANCED),
    ("W02", "cashier2", CloseKind.SHORT),
    ("W03", "cashier3", CloseKind.DUAL),
)
MAIL_STATION = "MAIL"
SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class DemoDay:
    """What a demo day did."""

    business_date: dt.date
    drawers: int
    payments: int
    voids: int
    returned_checks: int
    session_ids: tuple[int, ...]  # the drawers', then the batch's
    short_session: int  # the drawer a supervisor approved short
    deposit_slip: str
    deposit_total: Money
    seconds: float

    @property
    def words(self) -> str:
        """ "Demo day 11/30: 3 drawers and a mail batch, 412 payments, closed and deposited"."""
        return (
            f"Demo day {self.business_date:%m/%d}: {self.drawers} drawers and a mail batch, "
            f"{self.payments:,} payments, closed and deposited"
        )


class _Clock:
    """The office's clock during the day: set to each step's time, never backwards."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, when: dt.datetime) -> None:
        self.now = max(when, self.now + dt.timedelta(seconds=1))


def _demo_user(username: str) -> DemoUser:
    return next(u for u in demo_data.DEMO_USERS if u.username == username)


def play_demo_day(
    ctx: Context,
    business_date: dt.date,
    *,
    payments: int = DEFAULT_PAYMENTS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> DemoDay:
    """Play the day of ``business_date`` with ``payments`` payments (the same seed, the
    same day on the same city); refused, with nothing written, as the module says."""
    started = time.perf_counter()
    check_size(payments)
    if seed < 0:
        raise ValidationError(f"The seed is a whole number, zero or more, not {seed}")
    if business_date > ctx.today():
        raise ValidationError(
            f"{business_date:%m/%d/%Y} is after today: a demo day is played on today or an "
            "earlier business date"
        )
    _refuse_busy(ctx, business_date)
    plan = plan_day(
        _payables(ctx),
        payments,
        seed,
        DRAWERS,
        ctx.settings.closeout.cash_tolerance,
    )
    clock = _Clock(at(business_date, -10, ctx.settings.zone))
    day = _Day(dataclasses.replace(ctx, clock=clock), clock, business_date, plan, progress)
    day.play()
    assert day.slip is not None
    return DemoDay(
        business_date=business_date,
        drawers=len(plan.drawers),
        payments=plan.payments,
        voids=plan.voids,
        returned_checks=1,
        session_ids=(*day.drawer_ids, day.batch_id),
        short_session=next(
            sid
            for sid, d in zip(day.drawer_ids, plan.drawers, strict=True)
            if d.close is CloseKind.SHORT
        ),
        deposit_slip=day.slip.slip_number,
        deposit_total=day.slip.total,
        seconds=time.perf_counter() - started,
    )


def _refuse_busy(ctx: Context, business_date: dt.date) -> None:
    """Refuse a date that has sessions, and a day whose stations or cashiers are busy."""
    names = [cashier for _, cashier, _ in DRAWERS]
    with ctx.db.read() as session:
        taken = session.execute(
            select(func.count(DrawerSession.id)).where(DrawerSession.business_date == business_date)
        ).scalar_one()
        if taken:
            raise ValidationError(
                f"{business_date:%m/%d/%Y} already has {taken} session"
                f"{'s' if taken != 1 else ''}: a demo day is played on a business date "
                "with none (pick another --date)"
            )
        busy = session.execute(
            select(DrawerSession.id, DrawerSession.station, User.username)
            .join(User, User.id == DrawerSession.user_id)
            .where(
                DrawerSession.kind == SessionKind.DRAWER,
                DrawerSession.state == SessionState.OPEN,
                or_(
                    DrawerSession.station.in_([s for s, _, _ in DRAWERS]),
                    User.username.in_(names),
                ),
            )
        ).first()
    if busy is not None:
        raise ValidationError(
            f"A drawer is open on {busy.station} ({busy.username}, session #{busy.id}): "
            "close it before playing a demo day on those stations"
        )


def _payables(ctx: Context) -> list[Payable]:
    """The accounts a payment may be taken on (not closed, checks accepted) and what each
    owes, in account order."""
    owed = func.coalesce(func.sum(Charge.open_cents), 0)
    with ctx.db.read() as session:
        rows = session.execute(
            select(Account.number, owed)
            .outerjoin(Charge, Charge.account_id == Account.id)
            .where(Account.status != AccountStatus.CLOSED.value, ~Account.checks_not_accepted)
            .group_by(Account.id, Account.number)
            .order_by(Account.id)
        ).all()
    return [Payable(number, Money(int(cents))) for number, cents in rows]


@dataclass
class _Step:
    minute: int
    order: int
    run: Callable[[], None]


class _Day:
    """One play of a plan: the steps in time order, each at its time."""

    def __init__(
        self,
        ctx: Context,
        clock: _Clock,
        business_date: dt.date,
        plan: DayPlan,
        progress: Progress | None,
    ) -> None:
        self.ctx, self.clock, self.date, self.plan = ctx, clock, business_date, plan
        self.progress = progress
        self.ids: dict[str, int] = {}
        self.drawer_ids: list[int] = []
        self.batch_id = 0
        self.mail: payment_import.BatchResult | None = None
        self.slip: Deposit | None = None
        self.receipts: dict[tuple[int, int], str] = {}  # (drawer, payment) → receipt
        self.posted = 0

    def at_station(self, station: str) -> Context:
        return dataclasses.replace(
            self.ctx, settings=self.ctx.settings.model_copy(update={"station": station})
        )

    def play(self) -> None:
        self._sign_in()
        steps = sorted(self._steps(), key=lambda s: (s.minute, s.order))
        for step in steps:
            self.clock.set(at(self.date, step.minute, self.ctx.settings.zone))
            step.run()

    def _tick(self) -> None:
        self.posted += 1
        if self.progress is not None:
            self.progress("Posting", self.posted, self.plan.payments)

    def _sign_in(self) -> None:
        """The demo users added if missing; the supervisor, who approves the day's
        overrides, signs in with the demo password (a changed one stops the day here,
        before anything is posted)."""
        with self.ctx.db.write() as session:
            demo_data.add_demo_users(session, self.ctx)
            names = [SUPERVISOR, *(d.cashier for d in self.plan.drawers)]
            self.ids = {
                name: user_id
                for name, user_id in session.execute(
                    select(User.username, User.id).where(User.username.in_(names), User.active)
                )
            }
        if missing := [n for n in names if n not in self.ids]:
            raise ValidationError(
                f"The demo user {missing[0]} is disabled: the demo day needs " + ", ".join(names)
            )
        try:
            users.authenticate(self.ctx, SUPERVISOR, _demo_user(SUPERVISOR).password)
        except AuthenticationFailed as exc:
            raise AuthenticationFailed(
                f"The demo day's supervisor signs in as {SUPERVISOR} with the demo password: "
                f"{exc}; nothing was posted"
            ) from exc

    # --- the steps -----------------------------------------------------------------------
    def _steps(self) -> Iterator[_Step]:
        order = iter(range(10**9))
        for i, drawer in enumerate(self.plan.drawers):
            ctx = self.at_station(drawer.station)
            yield _Step(0, next(order), self._opener(ctx, drawer))
            for j, payment in enumerate(drawer.payments):
                yield _Step(payment.minute, next(order), self._poster(ctx, i, j, payment))
                if payment.voided:
                    yield _Step(payment.minute + VOID_AFTER, next(order), self._voider(ctx, i, j))
            for move in drawer.movements:
                yield _Step(move.minute, next(order), self._mover(ctx, i, move))
            yield _Step(CLOSES_AT + 5 * i, next(order), self._closer(ctx, i, drawer))
        mail = self.at_station(MAIL_STATION)
        yield _Step(MAIL_AT, next(order), lambda: self._post_mail(mail))
        yield _Step(RETURNED_AT, next(order), lambda: self._return_check(mail))
        yield _Step(TAPE_AT, next(order), lambda: self._tape(mail))
        yield _Step(DEPOSIT_AT, next(order), lambda: self._deposit(mail))

    def _opener(self, ctx: Context, drawer: DrawerPlan) -> Callable[[], None]:
        def run() -> None:
            opened = sessions.open_session(ctx, self.ids[drawer.cashier], drawer.float_counts)
            self.drawer_ids.append(opened.id)

        return run

    def _poster(self, ctx: Context, i: int, j: int, p: PlannedPayment) -> Callable[[], None]:
        def run() -> None:
            posted = posting.post_transaction(
                ctx,
                session_id=self.drawer_ids[i],
                user_id=self.ids[self.plan.drawers[i].cashier],
                payments=[posting.PaymentRequest(p.account_number, p.amount)],
                tenders=[p.tender],
                idempotency_key=f"demo-{self.date:%Y%m%d}-{i}-{j}",
            )
            self.receipts[(i, j)] = posted.receipt.number
            self._tick()

        return run

    def _voider(self, ctx: Context, i: int, j: int) -> Callable[[], None]:
        def run() -> None:
            number = self.receipts[(i, j)]
            cashier = self.ids[self.plan.drawers[i].cashier]
            grant = overrides.grant(
                ctx,
                requested_by=cashier,
                supervisor=SUPERVISOR,
                password=_demo_user(SUPERVISOR).password,
                action=OverrideAction.VOID,
                subject=voids.void_subject(number),
                reason="Paid on the wrong account",
            )
            voids.void_receipt(
                ctx,
                receipt_number=number,
                user_id=cashier,
                grant_id=grant.id,
                reason_code=ctx.settings.policy.void_reasons[0],
            )

        return run

    def _mover(self, ctx: Context, i: int, move: PlannedMovement) -> Callable[[], None]:
        def run() -> None:
            sessions.record_movement(
                ctx,
                self.drawer_ids[i],
                self.ids[self.plan.drawers[i].cashier],
                move.kind,
                move.amount,
                move.reason,
            )

        return run

    def _closer(self, ctx: Context, i: int, drawer: DrawerPlan) -> Callable[[], None]:
        def run() -> None:
            sid, cashier = self.drawer_ids[i], self.ids[drawer.cashier]
            supervisor = self.ids[SUPERVISOR]
            expected = closeout.x_read(ctx, sid, supervisor).expected
            sheet = closeout.count_sheet(ctx, sid, cashier)
            dual = drawer.close is CloseKind.DUAL or ctx.settings.closeout.dual_control
            closed = closeout.submit_count(
                ctx,
                sid,
                cashier,
                DrawerCount(
                    cash_count(expected[TenderKind.CASH] - drawer.short, drawer.float_counts),
                    frozenset(item.tender_id for item in sheet.items),
                    card_batch=expected[TenderKind.CARD],
                ),
                verifier=SUPERVISOR if dual else "",
                verifier_password=_demo_user(SUPERVISOR).password if dual else "",
            )
            if closed.state is SessionState.COUNTED:
                closeout.approve_variance(
                    ctx,
                    sid,
                    supervisor,
                    reason=f"Counted twice, {drawer.short.format()} short: approved",
                )

        return run

    def _post_mail(self, ctx: Context) -> None:
        out = io.StringIO()
        rows = csv.writer(out, lineterminator="\n")
        rows.writerow(["account_number", "amount", "tender", "reference", "idempotency_key"])
        for k, p in enumerate(self.plan.mail):
            rows.writerow(
                [
                    p.account_number,
                    str(p.amount),
                    p.tender.kind.value,
                    p.tender.reference,
                    f"demo-{self.date:%Y%m%d}-mail-{k}",
                ]
            )
        self.mail = payment_import.import_payments(
            ctx, out.getvalue().splitlines(), f"demo mail {self.date:%m/%d/%Y}", SUPERVISOR
        )
        self.batch_id = self.mail.session_id
        for _ in self.plan.mail:
            self._tick()

    def _return_check(self, ctx: Context) -> None:
        drawer = self.plan.drawers[0]
        returned = drawer.payments[self.plan.returned]
        voids.reverse_returned_check_as_supervisor(
            ctx,
            receipt_number=self.receipts[(0, self.plan.returned)],
            check_number=returned.tender.reference,
            supervisor=SUPERVISOR,
            password=_demo_user(SUPERVISOR).password,
            reason="Returned by the bank: insufficient funds",
        )

    def _tape(self, ctx: Context) -> None:
        assert self.mail is not None
        closeout.submit_tape(
            ctx, self.batch_id, self.ids[SUPERVISOR], Tape(self.mail.posted, self.mail.total)
        )

    def _deposit(self, ctx: Context) -> None:
        self.slip = deposits.make_deposit(
            ctx, self.date, [*self.drawer_ids, self.batch_id], self.ids[SUPERVISOR]
        )
