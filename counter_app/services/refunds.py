"""Refunding an account's credit balance at the counter (``domain.refunds`` has the rules).

One unit of work locks the account as posting does, works out what may be refunded from
the row as locked, uses the supervisor's one-shot grant, and writes a REFUND transaction in
the cashier's open drawer session: a negative payment on the account (its credit part a
negative credit allocation), a negative tender (cash out of the drawer, or ``refund_check``:
a check the office will issue), a receipt number from the station's sequence and an audit
event — or changes nothing. Like a payment it carries an idempotency key: a retry returns
the same slip instead of refunding twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from counter_app.db.models import Allocation, Payment, Receipt, Tender, Transaction
from counter_app.domain.account_number import parse_account_number
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.refunds import (
    RefundMethod,
    check_reason,
    refund_subject,
    refundable,
    split_refund,
)
from counter_app.domain.sessions import SessionKind
from counter_app.domain.tenders import TenderEntry, request_digest
from counter_app.domain.transactions import TransactionKind
from counter_app.services import audit, ledger_digest, lookup, overrides, receipts, sessions
from counter_app.services.context import Context
from counter_app.services.posting import Posted, check_key, lock_accounts, once


def refund_credit(
    ctx: Context,
    *,
    session_id: int,
    user_id: int,
    account_number: str,
    amount: Money,
    method: RefundMethod,
    reason: str,
    grant_id: int | None,
    idempotency_key: str,
) -> Posted:
    """Refund ``amount`` of account ``account_number``'s credit balance by ``method``, with
    the supervisor's grant of ``OverrideAction.REFUND`` on ``refund_subject``; raise a
    ``CounterError`` having changed nothing."""
    check_key(idempotency_key)
    number = parse_account_number(account_number)
    asked = _Asked(number, amount, method, check_reason(number, reason), idempotency_key)
    return once(
        ctx,
        idempotency_key,
        asked.digest,
        lambda session: _refund(session, ctx, session_id, user_id, asked, grant_id),
    )


@dataclass(frozen=True)
class _Asked:
    """One refund request, as checked."""

    number: str
    amount: Money
    method: RefundMethod
    reason: str
    key: str

    @property
    def digest(self) -> str:
        """What a retry with the same key must ask again (account, amount, method)."""
        return request_digest(
            [(self.number, self.amount)], [TenderEntry(self.method.tender, self.amount)]
        )


def _refund(
    session: Session,
    ctx: Context,
    session_id: int,
    user_id: int,
    asked: _Asked,
    grant_id: int | None,
) -> Posted:
    number, amount = asked.number, asked.amount
    drawer = sessions.require_open(session, session_id, user_id)
    if drawer.kind != SessionKind.DRAWER:
        raise ValidationError("A batch session has no drawer: refund at a counter drawer")
    account = lock_accounts(session, [number])[number]
    summary = lookup.summary_of(ctx, account, lookup.open_charges(session, account.id))
    split = split_refund(refundable(summary), amount)
    grant = overrides.consume(
        session, ctx, grant_id, OverrideAction.REFUND, refund_subject(number, amount), user_id
    )
    receipt_number = receipts.next_receipt_number(session, drawer.station, drawer.business_date)
    txn = Transaction(
        kind=TransactionKind.REFUND,
        session_id=drawer.id,
        user_id=user_id,
        idempotency_key=asked.key,
        request_hash=asked.digest,
        override_id=grant.id,
        reason=asked.reason,
        total_cents=-amount.cents,
        tendered_cents=-amount.cents,
        change_cents=0,
        created_at=ctx.now(),
    )
    account.credit_cents -= split.from_credit.cents
    account.deposit_cents -= split.from_deposit.cents
    payment = Payment(
        account_id=account.id,
        amount_cents=-amount.cents,
        balance_after_cents=summary.open_total.cents - account.credit_cents,
        note=split.note,
        deposit_part_cents=-split.from_deposit.cents,
        allocations=(
            [Allocation(charge_id=None, amount_cents=-split.from_credit.cents)]
            if split.from_credit
            else []
        ),
    )
    txn.payments.append(payment)
    txn.tenders.append(Tender(kind=asked.method.tender.value, amount_cents=-amount.cents))
    receipt_row = Receipt(number=receipt_number, station=drawer.station, transaction=txn)
    session.add_all([txn, receipt_row])
    session.flush()
    audit.record(
        session,
        ctx,
        "transaction.refund",
        user_id=user_id,
        entity="transaction",
        entity_id=txn.id,
        reason=asked.reason,
        details={
            "receipt": receipt_number,
            "account": number,
            "amount_cents": amount.cents,
            "method": asked.method.value,
            "from_credit_cents": split.from_credit.cents,
            "from_deposit_cents": split.from_deposit.cents,
        },
        rows=ledger_digest.transaction_rows(txn),
    )
    return Posted(txn.id, receipts.build(session, ctx, receipt_row), Money(0))
