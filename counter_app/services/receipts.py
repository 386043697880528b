"""Receipts: build the printable model from what was posted, list, reprint, print state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.dml import Insert

from counter_app.db.models import (
    Account,
    DrawerSession,
    Override,
    Payment,
    Receipt,
    ReceiptSequence,
    Transaction,
    User,
    table_of,
)
from counter_app.db.models import Tender as TenderRow
from counter_app.domain import receipt as model
from counter_app.domain.errors import NotFound
from counter_app.domain.money import Money
from counter_app.domain.transactions import Reversal, TransactionKind
from counter_app.services import audit, service_orders
from counter_app.services.context import Context


@dataclass(frozen=True)
class ReceiptRow:
    """One line of a receipt list (void / reprint pickers)."""

    number: str
    kind: TransactionKind
    created_at: dt.datetime
    total: Money
    accounts: str
    voided: bool
    printed: bool


def reversals_of(session: Session, transaction_ids: Collection[int]) -> dict[int, Reversal]:
    """Which of these transactions were reversed, and by which transaction (void or returned
    check): the one answer to "is this receipt reversed?". Keyed by the reversed id."""
    if not transaction_ids:
        return {}
    found: dict[int, Reversal] = {}
    for original_id, txn_id, kind, at, number in session.execute(
        select(
            Transaction.reverses_id,
            Transaction.id,
            Transaction.kind,
            Transaction.created_at,
            Receipt.number,
        )
        .join(Receipt, Receipt.transaction_id == Transaction.id)
        .where(Transaction.reverses_id.in_(list(transaction_ids)))
        .order_by(Transaction.id)
    ):
        if original_id is not None and original_id not in found:
            found[original_id] = Reversal(original_id, txn_id, TransactionKind(kind), at, number)
    return found


def tender_descriptions(session: Session, transaction_ids: Collection[int]) -> dict[int, str]:
    """How each transaction was paid, in words: "check #1043 + cash"."""
    kinds: dict[int, list[str]] = {}
    if not transaction_ids:
        return {}
    for tender in session.execute(
        select(TenderRow)
        .where(TenderRow.transaction_id.in_(list(transaction_ids)))
        .order_by(TenderRow.id)
    ).scalars():
        kinds.setdefault(tender.transaction_id, []).append(
            f"check #{tender.reference}"
            if tender.kind == model.TenderKind.CHECK
            else model.TenderKind(tender.kind).label.lower()
        )
    return {txn_id: " + ".join(words) for txn_id, words in kinds.items()}


def next_receipt_number(session: Session, station: str, business_date: dt.date) -> str:
    """``STATION-YYYYMMDD-NNNN``, from a per-station, per-day counter row moved on by one
    ``UPDATE … RETURNING`` (which locks it until the commit); ``business_date`` is the
    business date of the session the receipt posts into (never the clock's date: see
    ``sessions.station_business_date``). The day's first receipt creates the row with
    ``ON CONFLICT DO NOTHING``: a unit of work racing it waits for the winner's commit and
    then numbers after it, instead of failing on the row's key."""
    value = _advance(session, station, business_date)
    if value is None:
        session.execute(_insert_missing(session, station, business_date))
        value = _advance(session, station, business_date)
    assert value is not None  # the row exists now: ours or the racing winner's
    return f"{station}-{business_date:%Y%m%d}-{value:04d}"


_ADVANCE = (
    update(table_of(ReceiptSequence))
    .where(
        ReceiptSequence.station == bindparam("at_station"),
        ReceiptSequence.business_date == bindparam("on_day"),
    )
    .values(last_value=ReceiptSequence.last_value + 1)
    .returning(ReceiptSequence.last_value)
)


def _advance(session: Session, station: str, business_date: dt.date) -> int | None:
    moved = (
        session.connection()
        .execute(_ADVANCE, {"at_station": station, "on_day": business_date})
        .scalar_one_or_none()
    )
    return None if moved is None else int(moved)


def _insert_missing(session: Session, station: str, business_date: dt.date) -> Insert:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(ReceiptSequence)
        .values(station=station, business_date=business_date, last_value=0)
        .on_conflict_do_nothing()
    )


def _load(session: Session, number: str) -> Receipt:
    row = session.execute(
        select(Receipt)
        .where(Receipt.number == number.strip().upper())
        .options(
            selectinload(Receipt.transaction).selectinload(Transaction.payments),
            selectinload(Receipt.transaction).selectinload(Transaction.tenders),
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"No receipt {number.strip().upper()}")
    return row


SLIP_FOOTER = "Keep this slip with the original receipt."  # one 42-column line
REFUND_FOOTER = "Keep this slip: it records your refund."  # one 42-column line


def _footer(kind: TransactionKind, reverses: bool, receipt_footer: str) -> str:
    """A payment's footer is the office's; a reversal's and a refund's are the slip's."""
    if kind == TransactionKind.REFUND:
        return REFUND_FOOTER
    return SLIP_FOOTER if reverses else receipt_footer


def build(
    session: Session,
    ctx: Context,
    row: Receipt,
    *,
    accounts: Mapping[int, Account] | None = None,
    orders: Mapping[int, service_orders.OnReceipt] | None = None,
) -> model.Receipt:
    """The printable receipt for a stored one, as first printed."""
    txn = row.transaction
    if accounts is None:
        accounts = {
            a.id: a
            for a in session.execute(
                select(Account).where(Account.id.in_([p.account_id for p in txn.payments]))
            ).scalars()
        }
    approver = ""
    if txn.override_id is not None and (grant := session.get(Override, txn.override_id)):
        supervisor = session.get(User, grant.approved_by_id)
        approver = supervisor.full_name if supervisor else ""
    original = ""
    if txn.reverses_id is not None:
        original = session.execute(
            select(Receipt.number).where(Receipt.transaction_id == txn.reverses_id)
        ).scalar_one()
    of_session = session.get(DrawerSession, txn.session_id)
    if orders is None:
        orders = service_orders.on_receipt(session, txn.id)
    return compose(
        ctx,
        number=row.number,
        station=row.station,
        kind=TransactionKind(txn.kind),
        reverses=txn.reverses_id is not None,
        posted_at=txn.created_at,
        cashier=cashier_name(session, txn.user_id),
        lines=[
            line(accounts[p.account_id], p.amount_cents, p.balance_after_cents, p.note, orders)
            for p in sorted(txn.payments, key=_pid)
        ],
        tenders=[
            tender(t.kind, t.amount_cents, t.reference, t.card_last4, t.auth_code)
            for t in sorted(txn.tenders, key=_tid)
        ],
        change=Money(txn.change_cents),
        business_date=of_session.business_date if of_session else None,
        original=original,
        reason=txn.reason,
        approved_by=approver,
    )


def compose(
    ctx: Context,
    *,
    number: str,
    station: str,
    kind: TransactionKind,
    reverses: bool,
    posted_at: dt.datetime,
    cashier: str,
    lines: Sequence[model.ReceiptLine],
    tenders: Sequence[model.ReceiptTender],
    change: Money,
    business_date: dt.date | None,
    original: str = "",
    reason: str = "",
    approved_by: str = "",
) -> model.Receipt:
    """The printable receipt from what a transaction posted (``build`` reads it back; a
    posting passes what it just wrote): lines and tenders in the order they were written."""
    office = ctx.settings.office
    return model.Receipt(
        number=number,
        variant=kind.variant,
        posted_at=posted_at,
        station=station,
        cashier=cashier,
        office_name=office.name,
        office_address=office.address,
        office_phone=office.phone,
        footer=_footer(kind, reverses, office.receipt_footer),
        lines=tuple(lines),
        tenders=tuple(tenders),
        change=change,
        original_number=original,
        reason=reason,
        approved_by=approved_by,
        business_date=business_date,
    )


def cashier_name(session: Session, user_id: int) -> str:
    """The name a receipt prints for the user who posted it ("" if there is none)."""
    name = session.connection().execute(_NAME, {"user_id": user_id}).scalar_one_or_none()
    return name or ""


_NAME = select(User.full_name).where(User.id == bindparam("user_id"))


def _pid(p: Payment) -> int:
    return p.id


def _tid(t: TenderRow) -> int:
    return t.id


def line(
    account: Account,
    amount_cents: int,
    balance_after_cents: int,
    note: str,
    orders: Mapping[int, service_orders.OnReceipt],
) -> model.ReceiptLine:
    """A receipt's line for one payment on ``account`` (with the turn-on order it placed
    or cancelled, from ``orders`` by account id)."""
    order = orders.get(account.id)
    return model.ReceiptLine(
        account_number=account.number,
        customer_name=account.customer_name,
        service_address=account.service_address,
        amount=Money(amount_cents),
        balance_after=Money(balance_after_cents),
        status_note=note,
        service_order=order.number if order else "",
        service_order_cancelled=order.cancelled if order else False,
    )


def tender(
    kind: str, amount_cents: int, reference: str, card_last4: str, auth_code: str
) -> model.ReceiptTender:
    """A receipt's line for one tender."""
    return model.ReceiptTender(
        kind=model.TenderKind(kind),
        amount=Money(amount_cents),
        reference=reference,
        card_last4=card_last4,
        auth_code=auth_code,
    )


def get_receipt(ctx: Context, number: str) -> model.Receipt:
    """A stored receipt as first printed (ORIGINAL, VOID or NSF slip)."""
    with ctx.db.read() as session:
        return build(session, ctx, _load(session, number))


def reprint(ctx: Context, number: str, user_id: int) -> model.Receipt:
    """The receipt to print again, recorded in the audit trail: marked REPRINT when a copy
    was printed before, even in part; a receipt the printer refused before its first byte
    (a printer fault) comes out as its first copy, unmarked."""
    with ctx.db.write() as session:
        row = _load(session, number)
        printed_before = row.printed_at is not None or row.print_count > 0
        audit.record(
            session,
            ctx,
            "receipt.reprint" if printed_before else "receipt.print_retry",
            user_id=user_id,
            entity="receipt",
            entity_id=row.number,
        )
        receipt = build(session, ctx, row)
        return receipt.as_reprint() if printed_before else receipt


def mark_printed(ctx: Context, number: str) -> None:
    """Record a successful print (after the printer accepted the last byte)."""
    with ctx.db.write() as session:
        row = _load(session, number)
        row.printed_at = ctx.now()
        row.print_count += 1
        row.last_error = ""


def mark_print_failed(
    ctx: Context, number: str, error: str, *, may_have_printed: bool = False
) -> None:
    """Record why a receipt did not print: it stays listed as unprinted for Reprint. A
    failure after its bytes began to go out counts as a (spoilt) copy: the next is a
    REPRINT, so a customer never holds two originals."""
    with ctx.db.write() as session:
        row = _load(session, number)
        row.last_error = error[:500]
        if may_have_printed:
            row.print_count += 1
        audit.record(
            session,
            ctx,
            "receipt.print_failed",
            user_id=None,
            entity="receipt",
            entity_id=row.number,
            details={"error": error[:500], "may_have_printed": may_have_printed},
        )


def session_receipts(ctx: Context, session_id: int) -> list[ReceiptRow]:
    """Receipts of a session, newest first, with whether each was voided."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(Receipt, Transaction)
            .join(Transaction, Receipt.transaction_id == Transaction.id)
            .where(Transaction.session_id == session_id)
            .order_by(Transaction.id.desc())
            .options(selectinload(Transaction.payments))
        ).all()
        reversed_by = reversals_of(session, [t.id for _, t in rows])
        account_ids = {p.account_id for _, t in rows for p in t.payments}
        numbers = dict(
            session.execute(
                select(Account.id, Account.number).where(Account.id.in_(account_ids))
            ).all()
        )
        return [
            ReceiptRow(
                number=r.number,
                kind=TransactionKind(t.kind),
                created_at=t.created_at,
                total=Money(t.total_cents),
                accounts=", ".join(numbers[p.account_id] for p in t.payments),
                voided=t.id in reversed_by and reversed_by[t.id].is_void,
                printed=r.printed_at is not None,
            )
            for r, t in rows
        ]
