"""Checks already taken: the office's checks of a business date, for the duplicate-check
warning at the tender screen."""

from __future__ import annotations

from sqlalchemy import select

from counter_app.db.models import Account, DrawerSession, Payment, Receipt, Tender, Transaction
from counter_app.domain.errors import NotFound
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TakenCheck
from counter_app.domain.transactions import TransactionKind
from counter_app.services.context import Context


def taken_today(ctx: Context, session_id: int) -> list[TakenCheck]:
    """Every check taken, at any station, on the business date of drawer session
    ``session_id``, on a payment that was not voided or returned since."""
    with ctx.db.read() as s:
        drawer = s.get(DrawerSession, session_id)
        if drawer is None:
            raise NotFound(f"No drawer session #{session_id}")
        reversed_ids = select(Transaction.reverses_id).where(Transaction.reverses_id.is_not(None))
        rows = s.execute(
            select(Tender.reference, Tender.bank, Tender.amount_cents, Receipt.number, Tender.id)
            .join(Transaction, Tender.transaction_id == Transaction.id)
            .join(DrawerSession, Transaction.session_id == DrawerSession.id)
            .join(Receipt, Receipt.transaction_id == Transaction.id)
            .where(
                DrawerSession.business_date == drawer.business_date,
                Tender.kind == TenderKind.CHECK.value,
                Transaction.kind == TransactionKind.PAYMENT.value,
                Transaction.id.not_in(reversed_ids),
            )
            .order_by(Tender.id)
        ).all()
        numbers: dict[str, list[str]] = {}
        for receipt, account in s.execute(
            select(Receipt.number, Account.number)
            .join(Payment, Payment.transaction_id == Receipt.transaction_id)
            .join(Account, Account.id == Payment.account_id)
            .where(Receipt.number.in_([r.number for r in rows]))
            .order_by(Payment.id)
        ):
            numbers.setdefault(receipt, []).append(account)
        return [
            TakenCheck(ref, bank, Money(cents), receipt, tuple(numbers.get(receipt, ())))
            for ref, bank, cents, receipt, _ in rows
        ]
