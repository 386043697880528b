"""Posting a transaction: one or more account payments settled by one or more tenders.

One unit of work locks the accounts, allocates each payment oldest charge first (fees first
within a bill, by setting), credits any remainder, writes tenders, the receipt number and an
audit event, and commits — or changes nothing. The idempotency key makes a retry after a
lost connection return the first receipt instead of posting twice; the key is stored with a
digest of the request, so a key reused for a different request is refused. A connection
lost while committing is ``OutcomeUnknown`` naming the receipt it would be; ``outcome_of``
asks the database by the key what became of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
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
from counter_app.db.retry import retried
from counter_app.domain import receipt as model
from counter_app.domain.account_number import parse_account_number
from counter_app.domain.accounts import AccountSummary
from counter_app.domain.errors import NotFound, OutcomeUnknown, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.payments import (
    apply_payment,
    reconnect_fee_to_bill,
    settle_payments,
    with_reconnect_fee,
)
from counter_app.domain.refusals import AccountAlreadyAdded, AmountNotPositive, NoAccount
from counter_app.domain.tenders import TenderEntry, check_limits, check_tenders, request_digest
from counter_app.domain.transactions import TransactionKind
from counter_app.services import audit, ledger_digest, lookup, receipts, service_orders, sessions
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


@retried
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
    check_key(idempotency_key)
    requests = check_requests(payments)
    check_tenders(tenders)
    return once(
        ctx,
        idempotency_key,
        digest_of(requests, tenders),
        lambda session: post_within(
            session, ctx, session_id, user_id, requests, tenders, idempotency_key
        ),
    )


def check_key(key: str) -> None:
    """A client-made idempotency key: 1 to 64 printable ASCII characters."""
    if not (0 < len(key) <= 64 and key.isascii()) or not key.isprintable():
        raise ValidationError("Internal error: a transaction needs an idempotency key")


def once(ctx: Context, key: str, digest: str, write: Callable[[Session], Posted]) -> Posted:
    """``write(session)`` in one unit of work, once per idempotency ``key``: a retry of the
    same request (``digest``) gets the first slip back, replayed; another request with the
    key is refused. A COMMIT whose answer was lost is ``OutcomeUnknown`` naming the receipt
    number it would have made."""
    prepared: list[Posted] = []  # what the COMMIT would make: its receipt number, if lost
    try:
        with ctx.db.write() as session:  # the key looked up in the unit of work that posts
            replay = replayed(session, ctx, key, digest)
            if replay is not None:
                return replay
            prepared.append(write(session))
        return prepared[0]
    except OutcomeUnknown as exc:
        if not prepared:
            raise
        raise exc.of_receipt(prepared[0].receipt.number) from exc
    except IntegrityError:
        # Another workstation (or a retry racing us) committed the same key first.
        replay = outcome_of(ctx, key, digest)
        if replay is None:
            raise
        return replay


def check_requests(payments: Sequence[PaymentRequest]) -> list[PaymentRequest]:
    """The payments, account numbers normalised; refuses duplicates and amounts ≤ 0."""
    if not payments:
        raise NoAccount()
    seen: set[str] = set()
    clean = []
    for p in payments:
        number = parse_account_number(p.account_number)
        if number in seen:
            raise AccountAlreadyAdded(number)
        if not p.amount.is_positive:
            raise AmountNotPositive(number)
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


def outcome_of(ctx: Context, idempotency_key: str, digest: str | None = None) -> Posted | None:
    """The transaction posted under ``idempotency_key`` (``replayed``), or None when none
    was; with the request's ``digest``, a key that posted another request is refused."""
    with ctx.db.read() as session:
        return replayed(session, ctx, idempotency_key, digest)


def replayed(
    session: Session, ctx: Context, idempotency_key: str, digest: str | None
) -> Posted | None:
    """``outcome_of`` inside the caller's unit of work."""
    found = session.execute(
        select(Receipt, Transaction.request_hash)
        .join(Transaction, Receipt.transaction_id == Transaction.id)
        .where(Transaction.idempotency_key == idempotency_key)
    ).one_or_none()
    if found is None:
        return None
    row, stored = found
    if digest is not None:
        refuse_other_request(stored, digest, row.number)
    built = receipts.build(session, ctx, row)
    return Posted(row.transaction_id, built, built.change, replayed=True)


def lock_accounts(
    session: Session, numbers: Iterable[str], *, all_needed: bool = True
) -> dict[str, Account]:
    """The accounts numbered ``numbers``, locked for update, by number. The one lock order:

    0. the drawer session posted into (``sessions.require_open``: the close's cut-off; an
       import's chunk, whose batch session only imports use, takes it after its accounts);
    1. every account the unit of work will change, all at once, in id order (``SELECT …
       FOR UPDATE … ORDER BY id``: rows are locked in the order they are read) — never
       one account now and another later;
    2. then the other rows it updates (a receipt sequence, an override grant);
    3. the audit head last (``audit.record`` takes it; a unit of work that writes for a
       while wraps its work in ``audit.deferred`` so that it is taken only at the end).

    Two units of work that follow it wait for each other but never deadlock; whatever race
    is left (SQLite's busy file) is run again by ``db.retry.retried``. On SQLite ``BEGIN
    IMMEDIATE`` already makes writers take turns. ``all_needed``: a missing number is
    ``NotFound``; otherwise it is left out (an import locks its chunk's accounts up front
    and reports a missing one on its own row)."""
    wanted = list(dict.fromkeys(numbers))
    rows = session.execute(
        select(Account).where(Account.number.in_(wanted)).order_by(Account.id).with_for_update()
    ).scalars()
    found = {a.number: a for a in rows}
    for number in wanted if all_needed else ():
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
    policy = ctx.settings.policy
    check_limits(tenders, per_tender=policy.max_tender, per_transaction=policy.max_transaction)
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
    settled = settle_payments(
        [(summaries[r.account_number], r.amount) for r in requests],
        tenders,
        excess_noncash=ctx.settings.policy.excess_noncash,
    )
    settlement = settled.settlement

    # the session's business date, not the clock's: past midnight, still the evening's day
    number = receipts.next_receipt_number(session, drawer_row.station, drawer_row.business_date)
    txn = Transaction(
        kind=TransactionKind.PAYMENT,
        session_id=session_id,
        user_id=user_id,
        idempotency_key=key,
        request_hash=digest_of(requests, tenders),
        total_cents=settled.total.cents,
        tendered_cents=settlement.tendered.cents,
        change_cents=settlement.change.cents,
        created_at=ctx.now(),
    )
    orders = service_orders.ReconnectOrders(session, ctx, number, user_id, drawer_row.station)
    for r, amount in zip(requests, settled.amounts, strict=True):
        account = accounts[r.account_number]
        summary = summaries[r.account_number]
        paid = _apply_payment(ctx, orders, account, open_rows[account.id], summary, amount)
        txn.payments.append(paid)
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
    receipt_row = Receipt(number=number, station=drawer_row.station, transaction=txn)
    session.add_all([txn, receipt_row])
    session.flush()  # the one flush: transaction, payments, allocations, tenders, receipt
    ordered = orders.record(txn)
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
            **({"service_orders": ordered} if ordered else {}),
        },
        rows=ledger_digest.transaction_rows(txn),
    )
    built = receipts.build(
        session,
        ctx,
        receipt_row,
        accounts={a.id: a for a in accounts.values()},
        orders=orders.on_receipt(),
    )
    return Posted(txn.id, built, settlement.change)


def _apply_payment(
    ctx: Context,
    orders: service_orders.ReconnectOrders,
    account: Account,
    charges: Sequence[Charge],
    summary: AccountSummary,
    amount: Money,
) -> Payment:
    """The payment for one account with its allocations; charges, credit and the service
    status it keeps (a stopped shut-off, a restored service) updated on the rows. Restoring
    service bills the reconnect fee first unless one is open, pays it first and orders the
    reconnect (``orders``)."""
    if fee := reconnect_fee_to_bill(summary, amount):
        charge = orders.bill_fee(account, fee)
        charges = [*charges, charge]
        summary = with_reconnect_fee(summary, charge.id)
    effect = apply_payment(summary, amount, fees_first=ctx.settings.policy.fees_first)
    by_id = {c.id: c for c in charges}
    for part in effect.applied:
        if part.charge_id is not None:
            by_id[part.charge_id].open_cents -= part.amount.cents
    account.credit_cents += effect.credit.cents
    status_before, shutoff_before = None, None
    if effect.status_after is not None:
        status_before, shutoff_before = account.status, account.shutoff_date
        account.status = effect.status_after.value
        account.shutoff_date = None
    if effect.restores_service:
        orders.order(account)
    return Payment(
        account_id=account.id,
        amount_cents=amount.cents,
        balance_after_cents=effect.balance_after.cents,
        status_before=status_before,
        shutoff_date_before=shutoff_before,
        note=effect.note,
        allocations=[
            Allocation(charge_id=a.charge_id, amount_cents=a.amount.cents) for a in effect.applied
        ],
    )
