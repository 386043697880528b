"""Posting a transaction: one or more account payments settled by one or more tenders.

One unit of work locks the accounts, allocates each payment oldest charge first (fees first
within a bill, by setting), credits any remainder, writes tenders, the receipt number and an
audit event, and commits — or changes nothing. The idempotency key makes a retry after a
lost connection return the first receipt instead of posting twice; the key is stored with a
digest of the request, so a key reused for a different request is refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Account,
    Allocation,
    Charge,
    Payment,
    Receipt,
    Tender,
    Transaction,
)
from counter_app.domain import receipt as model
from counter_app.domain.account_number import parse_account_number
from counter_app.domain.accounts import AccountStatus, AccountSummary
from counter_app.domain.allocation import allocate
from counter_app.domain.errors import NotFound, ValidationError
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry, check_tenders, request_digest, settle
from counter_app.domain.transactions import TransactionKind
from counter_app.services import audit, lookup, receipts, sessions
from counter_app.services.context import Context


@dataclass(frozen=True)
class PaymentRequest:
    """Pay ``amount`` on the account numbered ``account_number``."""

    account_number: str
    amount: Money


@dataclass(frozen=True)
class Posted:
    """A committed transaction: print ``receipt`` next (after the commit)."""

    transaction_id: int
    receipt: model.Receipt
    change: Money
    replayed: bool = False  # True when the idempotency key had already posted


def new_idempotency_key() -> str:
    """A fresh key for one tender-complete; reuse it when retrying that same submission."""
    return uuid.uuid4().hex


def post_transaction(
    ctx: Context,
    *,
    session_id: int,
    user_id: int,
    payments: Sequence[PaymentRequest],
    tenders: Sequence[TenderEntry],
    idempotency_key: str,
) -> Posted:
    """Post the transaction or raise a ``CounterError`` having changed nothing."""
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValidationError("Internal error: a transaction needs an idempotency key")
    requests = check_requests(payments)
    check_tenders(tenders)
    digest = digest_of(requests, tenders)
    replay = _replayed(ctx, idempotency_key, digest)
    if replay is not None:
        return replay
    try:
        with ctx.db.write() as session:
            return post_within(
                session, ctx, session_id, user_id, requests, tenders, idempotency_key
            )
    except IntegrityError:
        # Another workstation (or a retry racing us) committed the same key first.
        replay = _replayed(ctx, idempotency_key, digest)
        if replay is None:
            raise
        return replay


def check_requests(payments: Sequence[PaymentRequest]) -> list[PaymentRequest]:
    """The payments, account numbers normalised; refuses duplicates and amounts ≤ 0."""
    if not payments:
        raise ValidationError("Add an account to the transaction first (Enter on a result)")
    seen: set[str] = set()
    clean = []
    for p in payments:
        number = parse_account_number(p.account_number)
        if number in seen:
            raise ValidationError(f"Account {number} is on this transaction twice")
        if not p.amount.is_positive:
            raise ValidationError(f"Account {number}: the amount to pay must be more than zero")
        seen.add(number)
        clean.append(PaymentRequest(number, p.amount))
    return clean


def digest_of(requests: Sequence[PaymentRequest], tenders: Sequence[TenderEntry]) -> str:
    """The request's digest, stored with its idempotency key."""
    return request_digest([(r.account_number, r.amount) for r in requests], tenders)


def refuse_other_request(stored: str | None, digest: str, receipt: str) -> None:
    """A key already used must come back with the very same request."""
    if stored is not None and stored != digest:
        raise ValidationError(
            f"This submission's key was already used for a different transaction (receipt "
            f"{receipt}): nothing was posted. Start the transaction again"
        )


def _replayed(ctx: Context, key: str, digest: str) -> Posted | None:
    with ctx.db.read() as session:
        found = session.execute(
            select(Receipt, Transaction.request_hash)
            .join(Transaction, Receipt.transaction_id == Transaction.id)
            .where(Transaction.idempotency_key == key)
        ).one_or_none()
        if found is None:
            return None
        row, stored = found
        refuse_other_request(stored, digest, row.number)
        built = receipts.build(session, ctx, row)
        return Posted(row.transaction_id, built, built.change, replayed=True)


def lock_accounts(session: Session, numbers: Sequence[str]) -> dict[str, Account]:
    """The accounts, locked for update in a fixed order (no deadlocks between stations)."""
    rows = session.execute(
        select(Account).where(Account.number.in_(numbers)).order_by(Account.id).with_for_update()
    ).scalars()
    found = {a.number: a for a in rows}
    for number in numbers:
        if number not in found:
            raise NotFound(f"No account {number}")
    return found


def post_within(
    session: Session,
    ctx: Context,
    session_id: int,
    user_id: int,
    requests: list[PaymentRequest],
    tenders: Sequence[TenderEntry],
    key: str,
) -> Posted:
    """Post inside the caller's unit of work (``post_transaction``, or a batch import that
    posts a whole file at once). ``requests`` come from ``check_requests``."""
    drawer_row = sessions.require_open(session, session_id, user_id)
    accounts = lock_accounts(session, [r.account_number for r in requests])
    open_rows: dict[int, list[Charge]] = {a.id: [] for a in accounts.values()}
    for charge in session.execute(
        select(Charge)
        .where(Charge.account_id.in_(list(open_rows)), Charge.open_cents > 0)
        .order_by(Charge.bill_date, Charge.id)
    ).scalars():
        open_rows[charge.account_id].append(charge)
    summaries = {
        n: lookup.summary_of(ctx, a, [lookup.open_charge(c) for c in open_rows[a.id]])
        for n, a in accounts.items()
    }
    has_check = any(t.kind is TenderKind.CHECK for t in tenders)
    for r in requests:
        _check_account_takes(summaries[r.account_number], r.amount, has_check)

    amount_due = total(r.amount for r in requests)
    settlement = settle(amount_due, tenders)
    amounts = [r.amount for r in requests]
    if settlement.excess_noncash:
        if ctx.settings.policy.excess_noncash == "refuse":
            raise ValidationError(
                f"Non-cash tenders exceed the total by {settlement.excess_noncash.format()}: "
                "no change is given from checks, money orders or cards. Correct the amounts"
            )
        first = summaries[requests[0].account_number]
        if first.status is AccountStatus.CLOSED:
            raise ValidationError(
                f"Non-cash tenders exceed the total by {settlement.excess_noncash.format()} "
                f"and account {first.number} is closed: it cannot hold a credit"
            )
        amounts[0] += settlement.excess_noncash  # overpayment: credit on the first account

    number = receipts.next_receipt_number(session, drawer_row.station, drawer_row.business_date)
    txn = Transaction(
        kind=TransactionKind.PAYMENT,
        session_id=session_id,
        user_id=user_id,
        idempotency_key=key,
        request_hash=digest_of(requests, tenders),
        total_cents=total(amounts).cents,
        tendered_cents=settlement.tendered.cents,
        change_cents=settlement.change.cents,
        created_at=ctx.now(),
    )
    for r, amount in zip(requests, amounts, strict=True):
        account = accounts[r.account_number]
        txn.payments.append(
            _apply_payment(ctx, account, open_rows[account.id], summaries[r.account_number], amount)
        )
    for t in tenders:
        txn.tenders.append(
            Tender(
                kind=t.kind.value,
                amount_cents=t.amount.cents,
                reference=t.reference.strip(),
                bank=t.bank.strip(),
                card_last4=t.card_last4,
                auth_code=t.auth_code.strip().upper(),
            )
        )
    receipt_row = Receipt(number=number, transaction=txn)
    session.add_all([txn, receipt_row])
    session.flush()  # the one flush: transaction, payments, allocations, tenders, receipt
    audit.record(
        session,
        ctx,
        "transaction.post",
        user_id=user_id,
        entity="transaction",
        entity_id=txn.id,
        details={
            "receipt": number,
            "total_cents": txn.total_cents,
            "tendered_cents": txn.tendered_cents,
            "change_cents": txn.change_cents,
            "accounts": [r.account_number for r in requests],
        },
    )
    built = receipts.build(session, ctx, receipt_row)
    return Posted(txn.id, built, settlement.change)


def _check_account_takes(summary: AccountSummary, amount: Money, has_check: bool) -> None:
    """Refuse payments an account must not take, with the reason and the way forward."""
    if has_check and summary.checks_not_accepted:
        raise ValidationError(
            f"Account {summary.number} does not accept checks after a returned check: "
            "take cash or certified funds (money order) only"
        )
    if summary.status is AccountStatus.CLOSED:
        if not summary.open_total:
            raise ValidationError(
                f"Account {summary.number} is closed with nothing owed: take payment on the "
                "customer's current account"
            )
        if amount > summary.open_total:
            raise ValidationError(
                f"Account {summary.number} is closed: it takes at most its final bill "
                f"{summary.open_total.format()}"
            )


def _apply_payment(
    ctx: Context,
    account: Account,
    charges: Sequence[Charge],
    summary: AccountSummary,
    amount: Money,
) -> Payment:
    """The payment for one account with its allocations; charges and credit updated."""
    applied = allocate(amount, summary.open_charges, fees_first=ctx.settings.policy.fees_first)
    by_id = {c.id: c for c in charges}
    credit = Money(0)
    for part in applied:
        if part.charge_id is None:
            credit += part.amount
        else:
            by_id[part.charge_id].open_cents -= part.amount.cents
    account.credit_cents += credit.cents
    open_after = summary.open_total - (amount - credit)
    paid_past_due = amount >= summary.amount_to_keep_service
    note, status_before, shutoff_before = _status_change(account, summary, paid_past_due)
    return Payment(
        account_id=account.id,
        amount_cents=amount.cents,
        balance_after_cents=(open_after - Money(account.credit_cents)).cents,
        status_before=status_before,
        shutoff_date_before=shutoff_before,
        note=note,
        allocations=[
            Allocation(charge_id=a.charge_id, amount_cents=a.amount.cents) for a in applied
        ],
    )


def _status_change(
    account: Account, summary: AccountSummary, paid_past_due: bool
) -> tuple[str, str | None, dt.date | None]:
    """(receipt note, status before if changed, shut-off date before if changed)."""
    status = summary.status
    if status is AccountStatus.SHUTOFF_PENDING:
        if paid_past_due:
            before = (account.status, account.shutoff_date)
            account.status = AccountStatus.ACTIVE.value
            account.shutoff_date = None
            return "Shut-off stopped", before[0], before[1]
        when = f" {summary.shutoff_date:%m/%d}" if summary.shutoff_date else ""
        return f"Shut-off{when} still pending", None, None
    if status is AccountStatus.DISCONNECTED:
        if paid_past_due:
            return "Paid to restore service", None, None
        return "Service disconnected: balance past due", None, None
    if status is AccountStatus.CLOSED:
        return "Final bill", None, None
    return "", None, None
