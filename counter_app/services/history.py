"""An account's history at the counter (read-only): its last months of charges, counter
payments and refunds, each payment with its receipt and what reversed it, and the open
balance bill by bill. Two index range scans (charges by account and bill date, payments by
account), so it stays quick on a million accounts."""

from __future__ import annotations

import calendar
import datetime as dt

from sqlalchemy import select

from counter_app.db.models import Charge, Payment, Receipt, Transaction
from counter_app.domain.allocation import OpenCharge
from counter_app.domain.history import (
    HISTORY_MONTHS,
    AccountHistory,
    EntryKind,
    HistoryEntry,
    charge_label,
    entry_kind_of_charge,
    open_bills,
)
from counter_app.domain.money import Money
from counter_app.domain.transactions import TransactionKind
from counter_app.services import lookup, receipts
from counter_app.services.context import Context

REVERSAL_WORDS = {TransactionKind.VOID: "Void", TransactionKind.NSF_REVERSAL: "Returned check"}
# money in or out, named with how it went: "Payment: check #1043 + cash", "Refund: cash"
PAID_WORDS = {TransactionKind.PAYMENT: "Payment", TransactionKind.REFUND: "Refund"}
ENTRY_KINDS = {TransactionKind.PAYMENT: EntryKind.PAYMENT, TransactionKind.REFUND: EntryKind.REFUND}


def account_history(ctx: Context, number: str, *, months: int = HISTORY_MONTHS) -> AccountHistory:
    """The history of the account numbered ``number`` over the last ``months`` months."""
    today = ctx.today()
    since = _months_before(today, months)
    zone = ctx.settings.zone
    with ctx.db.read() as session:
        account = lookup.account_by_number(session, number)
        charges = (
            session.execute(
                select(Charge)
                .where(Charge.account_id == account.id, Charge.bill_date >= since)
                .order_by(Charge.bill_date, Charge.id)
            )
            .scalars()
            .all()
        )
        open_charges = (
            session.execute(
                select(Charge).where(Charge.account_id == account.id, Charge.open_cents > 0)
            )
            .scalars()
            .all()
        )
        rows = session.execute(
            select(Payment.amount_cents, Transaction, Receipt.number)
            .join(Transaction, Payment.transaction_id == Transaction.id)
            .join(Receipt, Receipt.transaction_id == Transaction.id)
            .where(
                Payment.account_id == account.id,
                Transaction.created_at >= dt.datetime.combine(since, dt.time(), zone),
            )
            .order_by(Transaction.id)
        ).all()
        txn_ids = [txn.id for _, txn, _ in rows]
        why = {number: txn.reason for _, txn, number in rows}  # a reversal's own reason
        reversed_by = receipts.reversals_of(session, txn_ids)
        paid_with = receipts.tender_descriptions(session, txn_ids)
        entries = [
            HistoryEntry(
                c.bill_date,
                entry_kind_of_charge(c.kind),
                c.description or charge_label(c.kind),
                Money(c.amount_cents),
            )
            for c in charges
        ]
        for cents, txn, receipt_number in rows:
            kind = TransactionKind(txn.kind)
            reversal = reversed_by.get(txn.id)
            entries.append(
                HistoryEntry(
                    txn.created_at.astimezone(zone).date(),
                    ENTRY_KINDS.get(kind, EntryKind.REVERSAL),
                    f"{kind_word}: {paid_with.get(txn.id, '')}".rstrip(": ")
                    if (kind_word := PAID_WORDS.get(kind))
                    else REVERSAL_WORDS[kind],
                    -Money(cents),
                    receipt_number,
                    reversal.receipt_number if reversal else "",
                    why.get(reversal.receipt_number, "") if reversal else "",
                )
            )
        return AccountHistory(
            number=account.number,
            customer_name=account.customer_name,
            since=since,
            entries=tuple(sorted(entries, key=lambda e: e.on, reverse=True)),
            open=open_bills(
                [
                    OpenCharge(c.id, c.kind, c.bill_date, c.due_date, Money(c.open_cents))
                    for c in open_charges
                ]
            ),
            credit=Money(account.credit_cents),
        )


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
