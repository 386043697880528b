"""Export a business date's payments to the billing system, and list what was exported.

``export_payments`` reads every payment and reversal of the date — drawer and batch
sessions alike — in one unit of work, writes the file (``domain.payment_export``), and
records it in ``exports`` with an audit event. The rows come in a fixed order (time, receipt,
payment), so the same day gives the same bytes. A day's file is a picture of that day: a
reversal is a row in the file of its own business date, and a payment's ``state`` names
only reversals of the same date or before — a check returned on a later day is in that
day's file, and never changes this one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session, aliased

from counter_app.db.models import (
    Account,
    Allocation,
    Charge,
    DrawerSession,
    Export,
    Payment,
    Receipt,
    Tender,
    Transaction,
    User,
)
from counter_app.domain.errors import NotFound, PermissionDenied, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.payment_export import ChargePart, ExportRecord, ExportRow, distinct, render
from counter_app.domain.sessions import SessionState
from counter_app.domain.transactions import TransactionKind
from counter_app.domain.users import Role, UserInfo
from counter_app.services import audit
from counter_app.services.context import Context

# Who may export: it shows every payment of a day, and the billing system acts on it.
MAY_EXPORT = frozenset({Role.SUPERVISOR, Role.ADMIN})

_Original = aliased(Receipt)  # the receipt a reversal undoes
_Reversal = aliased(Transaction)  # what undid a payment, and its receipt
_ReversalReceipt = aliased(Receipt)


def export_payments(
    ctx: Context, business_date: dt.date, out_path: str | Path, user: UserInfo
) -> ExportRecord:
    """Write the payments of ``business_date`` to ``out_path`` (replaced whole, or left as
    it was) and record the export; ``user`` must be a supervisor or an admin."""
    path = Path(out_path)
    with ctx.db.write() as session:
        actor = _exporter(session, user)
        rows = payment_rows(session, ctx, business_date)
        data = render(rows)
        digest = hashlib.sha256(data).hexdigest()
        _write_file(path, data)
        row = Export(
            business_date=business_date,
            row_count=len(rows),
            sha256=digest,
            file_name=path.name[:255],
            user_id=actor.id,
            created_at=ctx.now(),
        )
        session.add(row)
        session.flush()
        open_sessions = _open_sessions(session, business_date)
        audit.record(
            session,
            ctx,
            "export.payments",
            user_id=actor.id,
            entity="export",
            entity_id=row.id,
            details={
                "business_date": business_date.isoformat(),
                "rows": len(rows),
                "sha256": digest,
                "file": str(path.absolute()),
                "open_sessions": open_sessions,
            },
        )
        return _record(row, actor.username, open_sessions)


def list_exports(ctx: Context, business_date: dt.date | None = None) -> list[ExportRecord]:
    """Every export, newest first (only those of ``business_date`` if given)."""
    query = select(Export, User.username).join(User, User.id == Export.user_id)
    if business_date is not None:
        query = query.where(Export.business_date == business_date)
    with ctx.db.read() as session:
        found = session.execute(query.order_by(Export.id.desc())).all()
        return [_record(row, username) for row, username in found]


def _record(row: Export, username: str, open_sessions: int = 0) -> ExportRecord:
    return ExportRecord(
        id=row.id,
        business_date=row.business_date,
        rows=row.row_count,
        sha256=row.sha256,
        file_name=row.file_name,
        username=username,
        created_at=row.created_at,
        open_sessions=open_sessions,
    )


def _exporter(session: Session, user: UserInfo) -> User:
    """The user's row, if they (still) may export."""
    row = session.get(User, user.id)
    if row is None or not row.active:
        raise NotFound(f'No active user "{user.username}": nothing was exported')
    if Role(row.role) not in MAY_EXPORT:
        raise PermissionDenied(
            f"{row.username} is a {row.role}: only a supervisor or an admin may export payments"
        )
    return row


def _open_sessions(session: Session, business_date: dt.date) -> int:
    """How many sessions of the day are still open (their later payments are not in it)."""
    return session.execute(
        select(func.count(DrawerSession.id)).where(
            DrawerSession.business_date == business_date,
            DrawerSession.state == SessionState.OPEN.value,
        )
    ).scalar_one()


def _write_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` whole: written beside it, then renamed over it."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise ValidationError(
            f"{path}: cannot write the file ({exc.strerror}); nothing was exported"
        ) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ValidationError(
            f"{path}: cannot write the file ({exc.strerror}); nothing was exported"
        ) from None


# --- the rows -----------------------------------------------------------------------------
def payment_rows(session: Session, ctx: Context, business_date: dt.date) -> list[ExportRow]:
    """Every payment row of the day (payments and reversals), in the file's order."""
    found = session.execute(_payments_of(business_date)).all()
    parts = _charge_parts(session, business_date)
    tenders = _tender_kinds(session, business_date)
    rows: list[ExportRow] = []
    seen: set[int] = set()
    for r in found:
        if r.payment_id in seen:  # a second reversal of one receipt (never made): the first
            continue
        seen.add(r.payment_id)
        part = parts.get(r.payment_id, ([], 0))
        rows.append(_row(ctx, business_date, r, part, tenders.get(r.txn_id, [])))
    return rows


def _payments_of(business_date: dt.date) -> Select[*tuple[Any, ...]]:
    """Each payment of the day with its transaction, receipt, session, account, what it
    reverses and what reversed it (by the end of the day) — one statement, so a void
    committed meanwhile is either in the file with its row or not at all."""
    until_then = select(DrawerSession.id).where(DrawerSession.business_date <= business_date)
    return (
        select(
            Payment.id.label("payment_id"),
            Payment.amount_cents,
            Transaction.id.label("txn_id"),
            Transaction.kind,
            Transaction.created_at,
            Receipt.number.label("receipt"),
            Receipt.station,
            DrawerSession.kind.label("session_kind"),
            Account.number.label("account"),
            _Original.number.label("reverses"),
            _Reversal.kind.label("reversed_as"),
            _ReversalReceipt.number.label("reversed_by"),
        )
        .join(Transaction, Transaction.id == Payment.transaction_id)
        .join(Receipt, Receipt.transaction_id == Transaction.id)
        .join(DrawerSession, DrawerSession.id == Transaction.session_id)
        .join(Account, Account.id == Payment.account_id)
        .outerjoin(_Original, _Original.transaction_id == Transaction.reverses_id)
        .outerjoin(
            _Reversal,
            (_Reversal.reverses_id == Transaction.id) & _Reversal.session_id.in_(until_then),
        )
        .outerjoin(_ReversalReceipt, _ReversalReceipt.transaction_id == _Reversal.id)
        .where(DrawerSession.business_date == business_date)
        .order_by(Transaction.created_at, Receipt.number, Payment.id, _Reversal.id)
    )


def _day_payments(business_date: dt.date) -> Select[Any]:
    """The ids of the day's payments, for the statements that read their parts."""
    return (
        select(Payment.id)
        .join(Transaction, Transaction.id == Payment.transaction_id)
        .join(DrawerSession, DrawerSession.id == Transaction.session_id)
        .where(DrawerSession.business_date == business_date)
    )


def _charge_parts(
    session: Session, business_date: dt.date
) -> dict[int, tuple[list[ChargePart], int]]:
    """Per payment: its charge parts in the order applied, and its credit in cents."""
    found: dict[int, tuple[list[ChargePart], int]] = {}
    query = (
        select(Allocation.payment_id, Charge.external_id, Allocation.amount_cents)
        .outerjoin(Charge, Charge.id == Allocation.charge_id)
        .where(Allocation.payment_id.in_(_day_payments(business_date)))
        .order_by(Allocation.payment_id, Allocation.id)
    )
    for payment_id, external_id, cents in session.execute(query):
        charges, credit = found.get(payment_id, ([], 0))
        if external_id is None:
            credit += cents
        else:
            charges.append(ChargePart(external_id, Money(cents)))
        found[payment_id] = (charges, credit)
    return found


def _tender_kinds(session: Session, business_date: dt.date) -> dict[int, list[str]]:
    """Per transaction of the day: its tenders' kinds, in the order taken."""
    found: dict[int, list[str]] = {}
    query = (
        select(Tender.transaction_id, Tender.kind)
        .join(Transaction, Transaction.id == Tender.transaction_id)
        .join(DrawerSession, DrawerSession.id == Transaction.session_id)
        .where(DrawerSession.business_date == business_date)
        .order_by(Tender.transaction_id, Tender.id)
    )
    for txn_id, kind in session.execute(query):
        found.setdefault(txn_id, []).append(kind)
    return found


def _row(
    ctx: Context,
    business_date: dt.date,
    r: Row[Any],
    parts: tuple[Sequence[ChargePart], int],
    kinds: list[str],
) -> ExportRow:
    charges, credit = parts
    m = r._mapping
    return ExportRow(
        business_date=business_date,
        receipt_number=m["receipt"],
        kind=TransactionKind(m["kind"]),
        reverses=m["reverses"] or "",
        account_number=m["account"],
        amount=Money(m["amount_cents"]),
        charges=tuple(charges),
        credit=Money(credit),
        tenders=distinct(kinds),
        time=m["created_at"].astimezone(ctx.settings.zone),
        station=m["station"],
        session=m["session_kind"],
        reversed_by=m["reversed_by"] or "",
        reversed_as=TransactionKind(m["reversed_as"]) if m["reversed_as"] else None,
    )
