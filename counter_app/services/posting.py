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
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Account,
    Allocation,
    Payment,
    Receipt,
    Tender,
    Transaction,
)
from counter_app.db.retry import retried
from counter_app.domain import receipt as model
from counter_app.domain.account_number import parse_account_number
from counter_app.domain.accounts import AccountSummary
from counter_app.domain.allocation import Applied
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
from counter_app.services import (
    audit,
    ledger_digest,
    ledger_rows,
    lookup,
    receipts,
    service_orders,
    sessions,
)
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
    digest = digest_of(requests, tenders)
    return once(
        ctx,
        idempotency_key,
        digest,
        lambda session: post_within(
            session, ctx, session_id, user_id, requests, tenders, idempotency_key, digest
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


_BY_KEY = (
    select(Receipt.id, Transaction.request_hash)
    .join(Transaction, Receipt.transaction_id == Transaction.id)
    .where(Transaction.idempotency_key == bindparam("key"))
)


def replayed(
    session: Session, ctx: Context, idempotency_key: str, digest: str | None
) -> Posted | None:
    """``outcome_of`` inside the caller's unit of work."""
    found = session.connection().execute(_BY_KEY, {"key": idempotency_key}).one_or_none()
    if found is None:
        return None
    row = session.get_one(Receipt, found.id)
    if digest is not None:
        refuse_other_request(found.request_hash, digest, row.number)
    built = receipts.build(session, ctx, row)
    return Posted(row.transaction_id, built, built.change, replayed=True)


_LOCK_ACCOUNTS = (
    select(Account)
    .where(Account.number.in_(bindparam("numbers", expanding=True)))
    .order_by(Account.id)
    .with_for_update()
)


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
    rows = session.execute(_LOCK_ACCOUNTS, {"numbers": wanted}).scalars()
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
    digest: str,
) -> Posted:
    """Post inside the caller's unit of work (``post_transaction``, or a batch import that
    posts a whole file at once). ``requests`` come from ``check_requests``; ``digest`` is
    their ``digest_of``, stored with the key. The rows are written with Core statements
    (``ledger_rows``), each table's in one."""
    policy = ctx.settings.policy
    check_limits(tenders, per_tender=policy.max_tender, per_transaction=policy.max_transaction)
    drawer_row = sessions.require_open(session, session_id, user_id)
    accounts = lock_accounts(session, [r.account_number for r in requests])
    charges = lookup.open_charges_of(session, [a.id for a in accounts.values()])
    summaries = {n: lookup.summary_of(ctx, a, charges[a.id]) for n, a in accounts.items()}
    settled = settle_payments(
        [(summaries[r.account_number], r.amount) for r in requests],
        tenders,
        excess_noncash=policy.excess_noncash,
    )
    change = settled.settlement.change

    # the session's business date, not the clock's: past midnight, still the evening's day
    number = receipts.next_receipt_number(session, drawer_row.station, drawer_row.business_date)
    posted_at = ctx.now()
    txn = ledger_rows.insert_row(
        session,
        Transaction,
        {
            "kind": TransactionKind.PAYMENT.value,
            "session_id": session_id,
            "user_id": user_id,
            "idempotency_key": key,
            "request_hash": digest,
            "reverses_id": None,
            "override_id": None,
            "reason": "",
            "total_cents": settled.total.cents,
            "tendered_cents": settled.settlement.tendered.cents,
            "change_cents": change.cents,
            "created_at": posted_at,
        },
    )
    txn_id = int(txn.values[0])
    orders = service_orders.ReconnectOrders(session, ctx, number, user_id, drawer_row.station)
    paid = [
        _apply_payment(
            session, ctx, orders, accounts[r.account_number], summaries[r.account_number], amount
        )
        for r, amount in zip(requests, settled.amounts, strict=True)
    ]
    tender_rows = [_tender_row(txn_id, t) for t in tenders]
    written = [
        txn,
        *_write_payments(session, txn_id, paid),
        *ledger_rows.insert_rows(session, Tender, tender_rows),
        ledger_rows.insert_row(
            session,
            Receipt,
            {
                "number": number,
                "station": drawer_row.station,
                "transaction_id": txn_id,
                "printed_at": None,
                "print_count": 0,
                "last_error": "",
            },
        ),
    ]
    ordered = orders.record(txn_id)
    audit.record(
        session,
        ctx,
        "transaction.post",
        user_id=user_id,
        entity="transaction",
        entity_id=txn_id,
        details={
            "receipt": number,
            "total_cents": settled.total.cents,
            "tendered_cents": settled.settlement.tendered.cents,
            "change_cents": change.cents,
            "accounts": [r.account_number for r in requests],
            **({"service_orders": ordered} if ordered else {}),
        },
        rows=written,
    )
    on_receipt = orders.on_receipt()
    built = receipts.compose(
        ctx,
        number=number,
        station=drawer_row.station,
        kind=TransactionKind.PAYMENT,
        reverses=False,
        posted_at=posted_at,
        cashier=drawer_row.cashier,
        lines=[
            receipts.line(p.account, p.amount, p.balance_after, p.note, on_receipt) for p in paid
        ],
        tenders=[
            receipts.tender(
                t["kind"], t["amount_cents"], t["reference"], t["card_last4"], t["auth_code"]
            )
            for t in tender_rows
        ],
        change=change,
        business_date=drawer_row.business_date,
    )
    return Posted(txn_id, built, change)


def _tender_row(transaction_id: int, t: TenderEntry) -> dict[str, Any]:
    return {
        "transaction_id": transaction_id,
        "kind": t.kind.value,
        "amount_cents": t.amount.cents,
        "reference": t.reference.strip(),
        "bank": t.bank.strip(),
        "card_last4": t.card_last4,
        "auth_code": t.auth_code.strip().upper(),
        "reverses_id": None,
    }


def _write_payments(
    session: Session, transaction_id: int, paid: Sequence[_Paid]
) -> list[ledger_digest.Values]:
    """The payments with their allocations, and the charges they pay paid down."""
    payments = ledger_rows.insert_rows(
        session, Payment, [{**p.row, "transaction_id": transaction_id} for p in paid]
    )
    allocations = ledger_rows.insert_rows(
        session,
        Allocation,
        [
            {
                "payment_id": payment.values[0],
                "charge_id": a.charge_id,
                "amount_cents": a.amount.cents,
            }
            for payment, p in zip(payments, paid, strict=True)
            for a in p.applied
        ],
    )
    paid_down: dict[int, int] = {}
    for p in paid:
        for a in p.applied:
            if a.charge_id is not None:
                paid_down[a.charge_id] = paid_down.get(a.charge_id, 0) + a.amount.cents
    ledger_rows.pay_charges(session, paid_down)
    return [*payments, *allocations]


@dataclass(frozen=True)
class _Paid:
    """One account's payment as written: its ``payments`` row (but the transaction's id)
    and the parts applied (``charge_id`` None: credit)."""

    account: Account
    row: dict[str, Any]
    applied: tuple[Applied, ...]

    @property
    def amount(self) -> int:
        return int(self.row["amount_cents"])

    @property
    def balance_after(self) -> int:
        return int(self.row["balance_after_cents"])

    @property
    def note(self) -> str:
        return str(self.row["note"])


def _apply_payment(
    session: Session,
    ctx: Context,
    orders: service_orders.ReconnectOrders,
    account: Account,
    summary: AccountSummary,
    amount: Money,
) -> _Paid:
    """The payment for one account and what it applies; the account's credit and the
    service status it keeps (a stopped shut-off, a restored service) updated on its row.
    Restoring service bills the reconnect fee first unless one is open, pays it first and
    orders the reconnect (``orders``)."""
    if fee := reconnect_fee_to_bill(summary, amount):
        summary = with_reconnect_fee(summary, orders.bill_fee(account, fee))
    effect = apply_payment(summary, amount, fees_first=ctx.settings.policy.fees_first)
    changed: dict[str, Any] = {}
    if effect.credit:
        changed["credit_cents"] = account.credit_cents + effect.credit.cents
    status_before, shutoff_before = None, None
    if effect.status_after is not None:
        status_before, shutoff_before = account.status, account.shutoff_date
        changed.update(status=effect.status_after.value, shutoff_date=None)
    if changed:
        ledger_rows.update_account(session, account, changed)
    if effect.restores_service:
        orders.order(account)
    row = {
        "account_id": account.id,
        "amount_cents": amount.cents,
        "balance_after_cents": effect.balance_after.cents,
        "status_before": status_before,
        "shutoff_date_before": shutoff_before,
        "note": effect.note,
        "deposit_part_cents": 0,
    }
    return _Paid(account, row, effect.applied)
