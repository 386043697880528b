"""Reversals: voiding a receipt the same business day, and a returned (NSF) check later.

Nothing is deleted: each reversal is a new transaction linked to the original, with
negative payments, allocations and tenders, its own receipt number, the supervisor's
override and the reason. Charges reopen exactly by what the original applied to them, and a
shut-off the payment had stopped is pending again. A void of a payment that restored service
also cancels its turn-on order and the reconnect fee it billed (the account disconnected
again); a returned check leaves the order standing (the crew may have turned service on)
and the fee owed again, the account disconnected again. A receipt is reversed once: a void or a
returned check, never both, never twice. "The same business day" is the business-date rule
of ``sessions.station_business_date``: a receipt is voidable while its session is open and
of its station's business date — past midnight too — and a check in such a session has not
been to the bank, so it is voided, not returned. A returned check is back-office work: its
slip goes to the acting user's batch session of this station's business date.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from counter_app.db.models import (
    Account,
    Allocation,
    Charge,
    DrawerSession,
    Payment,
    Receipt,
    Tender,
    Transaction,
)
from counter_app.domain.accounts import SERVICE_KEPT, AccountStatus
from counter_app.domain.errors import NotFound, PermissionDenied, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import TenderKind
from counter_app.domain.refusals import AlreadyReversed
from counter_app.domain.reversals import PaidPart, split_returned_check, take_back, void_refund
from counter_app.domain.sessions import SessionState
from counter_app.domain.text import untrusted_text_refusal
from counter_app.domain.transactions import TransactionKind
from counter_app.services import (
    audit,
    ledger_digest,
    overrides,
    receipts,
    service_orders,
    sessions,
    users,
)
from counter_app.services.context import Context
from counter_app.services.posting import Posted, lock_accounts


def void_subject(receipt_number: str) -> str:
    """What a void override names: the receipt."""
    return receipt_number.strip().upper()


def nsf_subject(receipt_number: str, check_number: str) -> str:
    """What a returned-check override names: the receipt and the check."""
    return f"{receipt_number.strip().upper()} check #{check_number.strip()}"


def _original(session: Session, number: str) -> Transaction:
    txn = session.execute(
        select(Transaction)
        .join(Receipt, Receipt.transaction_id == Transaction.id)
        .where(Receipt.number == number.strip().upper())
        .options(
            selectinload(Transaction.payments).selectinload(Payment.allocations),
            selectinload(Transaction.tenders),
        )
    ).scalar_one_or_none()
    if txn is None:
        raise NotFound(f"No receipt {number.strip().upper()}")
    if txn.kind != TransactionKind.PAYMENT:
        raise ValidationError(f"Receipt {number.strip().upper()} is itself a reversal")
    return txn


def _refuse_if_reversed(session: Session, ctx: Context, txn: Transaction, number: str) -> None:
    """A receipt is reversed at most once — by a void or by a returned check, never both."""
    earlier = receipts.reversals_of(session, [txn.id]).get(txn.id)
    if earlier is not None:
        raise AlreadyReversed(number, earlier, ctx.settings.zone)


def _reverse_payment(
    session: Session, txn: Transaction, original: Payment, account: Account, amount: Money
) -> Payment:
    """Take ``amount`` of ``original`` back off ``account`` (``reversals.take_back``);
    returns the negative payment with its allocations."""
    undone = take_back(
        amount,
        [PaidPart(a.id, a.charge_id, Money(a.amount_cents)) for a in original.allocations],
        credit_on_file=Money(account.credit_cents),
        account_number=account.number,
    )
    for part in undone:
        if part.charge_id is None:
            account.credit_cents -= part.amount.cents
        else:
            charge = session.get(Charge, part.charge_id)
            assert charge is not None
            charge.open_cents += part.amount.cents
    reversal = Payment(
        transaction_id=txn.id,
        account_id=account.id,
        amount_cents=-amount.cents,
        balance_after_cents=0,
        note="",
    )
    session.add(reversal)
    session.flush()
    session.add_all(
        Allocation(payment_id=reversal.id, charge_id=p.charge_id, amount_cents=-p.amount.cents)
        for p in undone
    )
    session.flush()
    reversal.balance_after_cents = _balance(session, account)
    return reversal


def _balance(session: Session, account: Account) -> int:
    open_cents = session.execute(
        select(func.coalesce(func.sum(Charge.open_cents), 0)).where(Charge.account_id == account.id)
    ).scalar_one()
    return int(open_cents) - account.credit_cents


@dataclass(frozen=True)
class _Reversing:
    """One reversal being written in ``session``: of ``original`` (receipt ``number``), by
    ``user_id``."""

    session: Session
    ctx: Context
    original: Transaction
    number: str
    user_id: int

    def post(
        self,
        kind: TransactionKind,
        session_row: DrawerSession,
        override_id: int,
        reason: str,
        *,
        amount: Money,
        tendered: Money,
    ) -> tuple[Transaction, Receipt]:
        """The reversing transaction (``amount`` and ``tendered`` negated) and its receipt."""
        number = receipts.next_receipt_number(
            self.session, session_row.station, session_row.business_date
        )
        txn = Transaction(
            kind=kind,
            session_id=session_row.id,
            user_id=self.user_id,
            idempotency_key=uuid.uuid4().hex,
            reverses_id=self.original.id,
            override_id=override_id,
            reason=reason,
            total_cents=-amount.cents,
            tendered_cents=-tendered.cents,
            change_cents=0,
            created_at=self.ctx.now(),
        )
        self.session.add(txn)
        self.session.flush()
        receipt_row = Receipt(number=number, station=session_row.station, transaction_id=txn.id)
        self.session.add(receipt_row)
        return txn, receipt_row

    def finish(self, txn: Transaction, receipt_row: Receipt, details: dict[str, object]) -> Posted:
        """Record the audit event ``transaction.<kind>`` and hand back the slip."""
        self.session.flush()
        self.session.refresh(txn, ["payments", "tenders", "receipt"])
        audit.record(
            self.session,
            self.ctx,
            f"transaction.{TransactionKind(txn.kind).value}",
            user_id=self.user_id,
            entity="transaction",
            entity_id=txn.id,
            reason=txn.reason,
            details={"receipt": receipt_row.number, "original": self.number, **details},
            rows=ledger_digest.transaction_rows(txn),
        )
        return Posted(txn.id, receipts.build(self.session, self.ctx, receipt_row), Money(0))


def void_receipt(
    ctx: Context,
    *,
    receipt_number: str,
    user_id: int,
    grant_id: int | None,
    reason_code: str,
    note: str = "",
) -> Posted:
    """Void a receipt of the business day while its session is open (override needed)."""
    if reason_code not in ctx.settings.policy.void_reasons:
        raise ValidationError("Pick a void reason: " + ", ".join(ctx.settings.policy.void_reasons))
    number = void_subject(receipt_number)
    if refusal := untrusted_text_refusal("The note", note):
        raise ValidationError(refusal)
    with ctx.db.write() as session:
        original = _original(session, number)
        _refuse_if_reversed(session, ctx, original, number)
        session_row = sessions.lock_session(session, original.session_id, exclusive=True)
        if not _of_the_business_day(session, ctx, session_row):
            raise ValidationError(
                f"Receipt {number} is from a closed session or an earlier day: it cannot be "
                "voided. A returned check is reversed with Returned check"
            )
        accounts = lock_accounts(session, _account_numbers(session, original.payments))
        _refuse_if_reversed(session, ctx, original, number)  # again, now the accounts are locked
        grant = overrides.consume(session, ctx, grant_id, OverrideAction.VOID, number, user_id)
        if session_row.station != ctx.station:
            raise ValidationError(
                f"Receipt {number} was taken at station {session_row.station}: void it there, "
                "where its drawer gives the money back"
            )
        reason = f"{reason_code}: {note.strip()}" if note.strip() else reason_code
        tenders = sorted(original.tenders, key=lambda t: t.id)
        refund = void_refund(
            [(TenderKind(t.kind), Money(t.amount_cents)) for t in tenders],
            Money(original.change_cents),
        )
        reversing = _Reversing(session, ctx, original, number, user_id)
        txn, receipt_row = reversing.post(
            TransactionKind.VOID,
            session_row,
            grant.id,
            reason,
            amount=Money(original.total_cents),
            tendered=refund.handed_back,
        )
        by_id = {a.id: a for a in accounts.values()}
        for payment in original.payments:
            account = by_id[payment.account_id]
            reversal = _reverse_payment(session, txn, payment, account, Money(payment.amount_cents))
            # a restored service undone: its turn-on order and the fee it billed cancelled
            said = service_orders.cancel_for_void(session, ctx, original, account, txn, user_id)
            said.append(_restore_status(account, payment))
            reversal.note = "; ".join(note for note in said if note)
            reversal.balance_after_cents = _balance(session, account)
        session.add_all(_negated(tenders[i], txn.id, amount) for i, amount in refund.lines)
        return reversing.finish(txn, receipt_row, {"total_cents": original.total_cents})


def _restore_status(account: Account, payment: Payment) -> str:
    """Put back the service status ``payment`` changed (a stopped shut-off, a restored
    service), if the account is still as the payment left it; returns the receipt note
    ("" when nothing changed)."""
    if payment.status_before is None:
        return ""
    left_as = SERVICE_KEPT.get(AccountStatus(payment.status_before))
    if left_as is None or account.status != left_as.value:
        return ""
    account.status = payment.status_before
    account.shutoff_date = payment.shutoff_date_before
    when = f" {account.shutoff_date:%m/%d}" if account.shutoff_date else ""
    return f"{AccountStatus(account.status).label.capitalize()}{when} again"


def _negated(tender: Tender, transaction_id: int, amount: Money) -> Tender:
    return Tender(
        transaction_id=transaction_id,
        kind=tender.kind,
        amount_cents=-amount.cents,
        reference=tender.reference,
        bank=tender.bank,
        card_last4=tender.card_last4,
        auth_code=tender.auth_code,
        reverses_id=tender.id,
    )


def _of_the_business_day(session: Session, ctx: Context, row: DrawerSession) -> bool:
    """Whether a receipt of session ``row`` is still of the business day: the session is
    open and of its station's business date (``sessions.station_business_date``). Void
    takes such a receipt back; a returned check refuses it."""
    return row.state == SessionState.OPEN and row.business_date == (
        sessions.station_business_date(session, ctx, row.station)
    )


def _refuse_while_voidable(session: Session, ctx: Context, txn: Transaction, number: str) -> None:
    """A check taken in a session that is still open on its business day has not been to
    the bank: it cannot have been returned, and Void (which needs no fee) is the way to
    undo it."""
    row = session.get(DrawerSession, txn.session_id)
    assert row is not None
    if _of_the_business_day(session, ctx, row):
        raise ValidationError(
            f"Receipt {number} is from today's open session (business date "
            f"{row.business_date:%m/%d/%Y}): its check has not been deposited yet, so it "
            "cannot have been returned — use Void instead"
        )


def _account_numbers(session: Session, payments: Sequence[Payment]) -> list[str]:
    ids = [p.account_id for p in payments]
    return list(session.execute(select(Account.number).where(Account.id.in_(ids))).scalars())


def reverse_returned_check(
    ctx: Context,
    *,
    receipt_number: str,
    check_number: str,
    user_id: int,
    grant_id: int | None,
    note: str = "",
) -> Posted:
    """Reverse a check the bank returned: reopen what it paid, put back a shut-off it had
    stopped, add the NSF fee, and flag the account "checks not accepted" after
    ``nsf_flag_count`` returns in 12 months. Refused for a receipt already reversed, and for
    one from a session still open on its business day (use Void). The slip goes to the
    user's batch session of this station's business date (``sessions.batch_session``)."""
    number = void_subject(receipt_number)
    subject = nsf_subject(number, check_number)
    policy = ctx.settings.policy
    with ctx.db.write() as session:
        original = _original(session, number)
        accounts = lock_accounts(session, _account_numbers(session, original.payments))
        _refuse_if_reversed(session, ctx, original, number)
        _refuse_while_voidable(session, ctx, original, number)
        check = next(
            (
                t
                for t in original.tenders
                if t.kind == TenderKind.CHECK and t.reference == check_number.strip()
            ),
            None,
        )
        if check is None:
            raise NotFound(f"Receipt {number} has no check #{check_number.strip()}")
        grant = overrides.consume(
            session, ctx, grant_id, OverrideAction.NSF_REVERSAL, subject, user_id
        )
        batch = sessions.batch_session(session, ctx, user_id)
        amount = Money(check.amount_cents)
        reason = f"Returned check #{check.reference}" + (
            f": {note.strip()}" if note.strip() else ""
        )
        reversing = _Reversing(session, ctx, original, number, user_id)
        txn, receipt_row = reversing.post(
            TransactionKind.NSF_REVERSAL, batch, grant.id, reason, amount=amount, tendered=amount
        )
        payments = sorted(original.payments, key=lambda p: p.id)
        spread = split_returned_check(amount, [Money(p.amount_cents) for p in payments])
        parts = spread.parts
        by_id = {a.id: a for a in accounts.values()}
        reversals = [
            _reverse_payment(session, txn, p, by_id[p.account_id], part)
            for p, part in zip(payments, parts, strict=True)
            if part
        ]
        restored = {
            p.account_id: note
            for p, part in zip(payments, parts, strict=True)
            if part and (note := _restore_status(by_id[p.account_id], p))
        }
        main = by_id[payments[spread.fee_payment].account_id]
        flagged = _charge_nsf_fee(session, ctx, main, receipt_row.number, check.reference)
        for reversal in reversals:
            notes = [restored.get(reversal.account_id, "")]
            if reversal.account_id == main.id:
                reversal.balance_after_cents = _balance(session, main)
                notes.insert(0, f"Returned check fee {policy.nsf_fee.format()}")
                notes.append("checks no longer accepted" if flagged else "")
            reversal.note = "; ".join(n for n in notes if n)
        session.add(_negated(check, txn.id, amount))
        return reversing.finish(
            txn,
            receipt_row,
            {
                "check": check.reference,
                "amount_cents": amount.cents,
                "fee_cents": policy.nsf_fee.cents,
                "flagged": flagged,
                "status_restored": {
                    by_id[account_id].number: text for account_id, text in restored.items()
                },
            },
        )


def _charge_nsf_fee(
    session: Session, ctx: Context, account: Account, receipt_number: str, check_number: str
) -> bool:
    """Bill the NSF fee; flag the account when returns in 12 months reach the limit. The fee
    is a bill for the billing system, dated by the calendar (as aging and past-due are),
    not by the station's business date: billed after midnight it is not past due at once."""
    policy = ctx.settings.policy
    today = ctx.today()
    if policy.nsf_fee:
        session.add(
            Charge(
                external_id=f"NSF-{receipt_number}",
                account_id=account.id,
                kind="nsf_fee",
                description=f"Returned check #{check_number}",
                bill_date=today,
                due_date=today,
                amount_cents=policy.nsf_fee.cents,
                open_cents=policy.nsf_fee.cents,
                created_at=ctx.now(),
            )
        )
        session.flush()
    returns = session.execute(
        select(func.count(Transaction.id))
        .join(Payment, Payment.transaction_id == Transaction.id)
        .where(
            Transaction.kind == TransactionKind.NSF_REVERSAL,
            Payment.account_id == account.id,
            Transaction.created_at >= ctx.now() - dt.timedelta(days=365),
        )
    ).scalar_one()
    if returns >= policy.nsf_flag_count and not account.checks_not_accepted:
        account.checks_not_accepted = True
        return True
    return False


def reverse_returned_check_as_supervisor(
    ctx: Context,
    *,
    receipt_number: str,
    check_number: str,
    supervisor: str,
    password: str,
    reason: str,
) -> Posted:
    """The back office's returned check, no drawer needed: the supervisor logs in, grants
    the override to themselves (recorded as self-approved) and reverses the check."""
    user = users.authenticate(ctx, supervisor, password)
    if not user.role.can_approve:
        raise PermissionDenied(f"{user.username} is a {user.role.value}: a supervisor must do this")
    number = void_subject(receipt_number)
    grant = overrides.grant(
        ctx,
        requested_by=user.id,
        supervisor=supervisor,
        password=password,
        action=OverrideAction.NSF_REVERSAL,
        subject=nsf_subject(number, check_number),
        reason=reason,
    )
    return reverse_returned_check(
        ctx,
        receipt_number=number,
        check_number=check_number,
        user_id=user.id,
        grant_id=grant.id,
        note=reason,
    )
