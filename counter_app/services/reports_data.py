"""The reads the PDF reports need beyond what the end-of-day services hand out: the payment
register and the check register of a business date, the daily cash report's figures, and
the audit chain's head at the end of a day. Supervisors only (they show the whole office's
money). Each public function is one read-only unit of work.

The day's expected figures and sessions come from ``closeout`` (``activities`` and
``day_summary``: the one expected-figures function); nothing here sums a drawer itself.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Account,
    Allocation,
    Charge,
    Deposit,
    DepositLineRow,
    DrawerSession,
    Payment,
    Receipt,
    Tender,
    Transaction,
    User,
)
from counter_app.domain.closeout import day_activity
from counter_app.domain.errors import PermissionDenied
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.report_figures import (
    CheckEntry,
    CheckRegister,
    DailyCash,
    PaymentRegister,
    RegisterEntry,
    distribute,
)
from counter_app.domain.transactions import TransactionKind
from counter_app.domain.users import Role
from counter_app.services import audit, closeout, deposits, receipts
from counter_app.services.context import Context


def _refuse_unless_supervisor(session: Session, user_id: int, what: str) -> None:
    user = session.get(User, user_id)
    if user is None or not user.active or not Role(user.role).can_approve:
        raise PermissionDenied(f"{what} shows the whole office's money: a supervisor must ask")


def _of_date(business_date: dt.date) -> Select[int]:
    """The ids of the business date's sessions, as a subquery."""
    return select(DrawerSession.id).where(DrawerSession.business_date == business_date)


def _slips_of(session: Session, business_date: dt.date) -> dict[int, str]:
    """The deposit slip each of the day's deposited checks and money orders went on."""
    return {
        tender_id: slip
        for tender_id, slip in session.execute(
            select(DepositLineRow.tender_id, Deposit.slip_number)
            .join(Deposit, Deposit.id == DepositLineRow.deposit_id)
            .where(
                DepositLineRow.tender_id.is_not(None),
                DepositLineRow.session_id.in_(_of_date(business_date)),
            )
        )
        if tender_id is not None
    }


def _accounts_of(
    session: Session, business_date: dt.date, only: list[int] | None = None
) -> dict[int, tuple[str, ...]]:
    """Each of the day's transactions' account numbers (``only``: of these transactions),
    in the order they were paid."""
    query = (
        select(Payment.transaction_id, Account.number)
        .join(Account, Account.id == Payment.account_id)
        .join(Transaction, Transaction.id == Payment.transaction_id)
        .where(Transaction.session_id.in_(_of_date(business_date)))
        .order_by(Payment.id)
    )
    if only is not None:
        query = query.where(Transaction.id.in_(only))
    found: dict[int, list[str]] = {}
    for txn_id, number in session.execute(query):
        found.setdefault(txn_id, []).append(number)
    return {k: tuple(v) for k, v in found.items()}


# --- the payment register -------------------------------------------------------------------
def _entries(
    session: Session, business_date: dt.date, *, reversals_only: bool = False
) -> tuple[RegisterEntry, ...]:
    query = (  # columns, not ORM objects: a register reads thousands of rows
        select(
            Transaction.id,
            Transaction.kind,
            Transaction.created_at,
            Transaction.session_id,
            Transaction.total_cents,
            Transaction.change_cents,
            Transaction.reverses_id,
            Transaction.reason,
            Receipt.number,
            DrawerSession.station,
            User.full_name,
        )
        .join(Receipt, Receipt.transaction_id == Transaction.id)
        .join(DrawerSession, DrawerSession.id == Transaction.session_id)
        .join(User, User.id == Transaction.user_id)
        .where(DrawerSession.business_date == business_date)
        .order_by(Transaction.id)
    )
    if reversals_only:
        query = query.where(Transaction.kind != TransactionKind.PAYMENT.value)
    rows = session.execute(query).all()
    ids = [r.id for r in rows]
    number_of = {r.id: r.number for r in rows}
    reversed_by = receipts.reversals_of(session, ids)
    originals = {r.reverses_id for r in rows if r.reverses_id is not None} - set(number_of)
    if originals:
        for txn_id, number in session.execute(
            select(Receipt.transaction_id, Receipt.number).where(
                Receipt.transaction_id.in_(originals)
            )
        ):
            number_of[txn_id] = number
    words = receipts.tender_descriptions(session, ids)
    accounts = _accounts_of(session, business_date, ids if reversals_only else None)
    kinds = {k.value: k for k in TransactionKind}
    entries = []
    for txn_id, kind, at, session_id, cents, change, reverses, reason, number, station, who in rows:
        reversal = reversed_by.get(txn_id)
        entries.append(
            RegisterEntry(
                receipt=number,
                kind=kinds[kind],
                at=at,
                station=station,
                session_id=session_id,
                cashier=who,
                accounts=accounts.get(txn_id, ()),
                tenders=words.get(txn_id, ""),
                amount=Money(cents),
                change=Money(change),
                reverses=number_of.get(reverses, "") if reverses else "",
                reason=reason,
                reversed_by=reversal.receipt_number if reversal else "",
                reversed_as=reversal.kind if reversal else None,
            )
        )
    return tuple(entries)


def payment_register(ctx: Context, business_date: dt.date, user_id: int) -> PaymentRegister:
    """Every receipt of the business date's sessions (drawers and batches): payments, and
    the voids and returned checks that reverse them, each with its state."""
    with ctx.db.read() as session:
        _refuse_unless_supervisor(session, user_id, "The payment register")
        return PaymentRegister(business_date, _entries(session, business_date))


# --- the check register ---------------------------------------------------------------------
def check_register(ctx: Context, business_date: dt.date, user_id: int) -> CheckRegister:
    """Every check and money order taken on a payment of the business date, with whether it
    was voided, returned by the bank since, or on which deposit slip it went."""
    with ctx.db.read() as session:
        _refuse_unless_supervisor(session, user_id, "The check register")
        rows = session.execute(
            select(
                Tender.id,
                Tender.kind,
                Tender.reference,
                Tender.bank,
                Tender.amount_cents,
                Receipt.number,
                Transaction.id,
                Transaction.created_at,
                Transaction.session_id,
                DrawerSession.station,
                User.full_name,
            )
            .join(Transaction, Transaction.id == Tender.transaction_id)
            .join(Receipt, Receipt.transaction_id == Transaction.id)
            .join(DrawerSession, DrawerSession.id == Transaction.session_id)
            .join(User, User.id == Transaction.user_id)
            .where(
                DrawerSession.business_date == business_date,
                Transaction.kind == TransactionKind.PAYMENT.value,
                Tender.kind.in_([TenderKind.CHECK.value, TenderKind.MONEY_ORDER.value]),
            )
            .order_by(Tender.id)
        ).all()
        reversed_by = receipts.reversals_of(session, list({row[6] for row in rows}))
        slips = _slips_of(session, business_date)
        accounts = _accounts_of(session, business_date)
        kinds = {k.value: k for k in TenderKind}
        return CheckRegister(
            business_date,
            tuple(
                CheckEntry(
                    tender_id=tender_id,
                    kind=kinds[kind],
                    number=reference,
                    bank=bank,
                    amount=Money(cents),
                    accounts=accounts.get(txn_id, ()),
                    receipt=number,
                    at=at,
                    station=station,
                    session_id=session_id,
                    cashier=cashier,
                    reversed_as=r.kind if (r := reversed_by.get(txn_id)) else None,
                    deposit_slip=slips.get(tender_id, ""),
                )
                for (
                    tender_id,
                    kind,
                    reference,
                    bank,
                    cents,
                    number,
                    txn_id,
                    at,
                    session_id,
                    station,
                    cashier,
                ) in rows
            ),
        )


# --- the daily cash report ------------------------------------------------------------------
def _applied(session: Session, business_date: dt.date) -> dict[str | None, Money]:
    """What the day's allocations put on each charge kind, reversals netted (None: credit)."""
    return {
        kind: Money(int(cents))
        for kind, cents in session.execute(
            select(Charge.kind, func.sum(Allocation.amount_cents))
            .select_from(Allocation)
            .join(Payment, Payment.id == Allocation.payment_id)
            .join(Transaction, Transaction.id == Payment.transaction_id)
            .outerjoin(Charge, Charge.id == Allocation.charge_id)
            .where(Transaction.session_id.in_(_of_date(business_date)))
            .group_by(Charge.kind)
        )
    }


def daily_cash(ctx: Context, business_date: dt.date, user_id: int) -> DailyCash:
    """The daily cash report's figures for ``business_date``."""
    summaries = closeout.day_summary(ctx, business_date, user_id)
    made = deposits.deposits_of(ctx, business_date)
    head = audit.chain_head(ctx, business_date)
    with ctx.db.read() as session:
        _refuse_unless_supervisor(session, user_id, "The daily cash report")
        rows = (
            session.execute(
                select(DrawerSession).where(DrawerSession.business_date == business_date)
            )
            .scalars()
            .all()
        )
        activity = day_activity(closeout.activities(session, rows))
        entries = _entries(session, business_date, reversals_only=True)
        payments = session.execute(
            select(func.coalesce(func.sum(Transaction.total_cents), 0)).where(
                Transaction.session_id.in_(_of_date(business_date)),
                Transaction.kind == TransactionKind.PAYMENT.value,
            )
        ).scalar_one()
        over_short = sum((s.over_short or Money(0) for s in summaries), Money(0))
        return DailyCash(
            business_date=business_date,
            sessions=summaries,
            activity=activity,
            payments=Money(int(payments)),
            voids=tuple(e for e in entries if e.kind is TransactionKind.VOID),
            returned_checks=tuple(e for e in entries if e.kind is TransactionKind.NSF_REVERSAL),
            distribution=distribute(
                _applied(session, business_date), over_short, ctx.settings.gl.model_dump()
            ),
            deposits=tuple((d.slip_number, d.total) for d in made),
            chain_head=head,
        )
