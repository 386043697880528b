"""Refunding a credit balance: the credit (or a closed account's deposit) goes back in cash
out of the drawer or as a check the office will issue, with a supervisor's override."""

import pytest
from sqlalchemy import func, select

from counter_app.db.models import Account, Allocation, AuditEvent, Payment, Tender, Transaction
from counter_app.domain.errors import PermissionDenied, ValidationError
from counter_app.domain.history import EntryKind
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import ReceiptVariant, TenderKind
from counter_app.domain.refunds import RefundMethod, refund_subject
from counter_app.printing.layout import ReceiptLayout
from counter_app.services import audit, checks, history, lookup, receipts, refunds, sessions
from counter_app.services.context import Context
from counter_app.services.posting import Posted, new_idempotency_key
from drivers.paper import Text
from tests.helpers import (
    Town,
    add_account,
    cash,
    count_drawer,
    grant,
    in_parallel,
    pay,
)

pytestmark = pytest.mark.usefixtures("checked")  # every test ends with a clean check


JOSE = "030000-01"  # $15.00 credit on file, nothing owed


def refund(
    ctx: Context,
    town: Town,
    number: str,
    amount: str,
    method: RefundMethod = RefundMethod.CASH,
    *,
    key: str | None = None,
    approved: bool = True,
    reason: str = "overpaid in October",
) -> Posted:
    """Refund ``amount`` to account ``number`` at the town cashier's drawer, approved by Sam
    (unless not ``approved``)."""
    money = Money.parse(amount)
    grant_id = (
        grant(ctx, town, OverrideAction.REFUND, refund_subject(number, money), reason=reason)
        if approved
        else None
    )
    return refunds.refund_credit(
        ctx,
        session_id=town.session_id,
        user_id=town.cashier.id,
        account_number=number,
        amount=money,
        method=method,
        reason=reason,
        grant_id=grant_id,
        idempotency_key=key or new_idempotency_key(),
    )


def credit_allocations(ctx: Context, number: str) -> Money:
    """The sum of the account's credit allocations (``charge_id`` NULL)."""
    with ctx.db.read() as s:
        cents = s.execute(
            select(func.coalesce(func.sum(Allocation.amount_cents), 0))
            .join(Payment, Allocation.payment_id == Payment.id)
            .join(Account, Payment.account_id == Account.id)
            .where(Account.number == number, Allocation.charge_id.is_(None))
        ).scalar_one()
    return Money(int(cents))


def stored_tenders(ctx: Context, transaction_id: int) -> list[tuple[str, int]]:
    with ctx.db.read() as s:
        rows = s.execute(
            select(Tender.kind, Tender.amount_cents).where(Tender.transaction_id == transaction_id)
        )
        return [(kind, cents) for kind, cents in rows]


def test_an_overpayment_refunded_in_cash_reduces_the_credit_and_leaves_the_drawer(
    ctx: Context, town: Town
) -> None:
    pay(ctx, town, [("001234-01", "150.00")], [cash("150.00")])  # $104.10 owed: $45.90 over
    assert lookup.get_account(ctx, "001234-01").credit == Money(4590)
    done = refund(ctx, town, "001234-01", "45.90")
    slip = done.receipt
    assert slip.variant is ReceiptVariant.REFUND and slip.banners == ("REFUND",)
    assert slip.total == Money(-4590) and slip.change == Money(0)
    assert [(line.account_number, line.amount) for line in slip.lines] == [
        ("001234-01", Money(-4590))
    ]
    assert slip.approved_by == "Sam Ortega" and slip.reason == "overpaid in October"
    assert slip.number.startswith("W02-20261123-")
    after = lookup.get_account(ctx, "001234-01")
    assert after.credit == Money(0) and after.balance == Money(0)
    assert credit_allocations(ctx, "001234-01") == after.credit  # credit = its allocations
    # cash out of the drawer: a negative cash tender, as expected cash counts it
    assert stored_tenders(ctx, done.transaction_id) == [("cash", -4590)]


def test_a_refund_by_check_to_be_issued_takes_no_money_from_the_drawer(
    ctx: Context, town: Town
) -> None:
    done = refund(ctx, town, JOSE, "15.00", RefundMethod.CHECK)
    assert stored_tenders(ctx, done.transaction_id) == [("refund_check", -1500)]
    assert [t.kind for t in done.receipt.tenders] == [TenderKind.REFUND_CHECK]
    assert lookup.get_account(ctx, JOSE).credit == Money(0)
    assert checks.taken_today(ctx, town.session_id) == []  # never a check taken in


def test_a_refund_of_more_than_the_credit_is_refused_and_changes_nothing(
    ctx: Context, town: Town
) -> None:
    with pytest.raises(ValidationError) as refused:
        refund(ctx, town, JOSE, "15.01")
    assert str(refused.value) == (
        f"Refund $15.01 is more than account {JOSE}'s credit balance of $15.00: "
        "refund at most $15.00"
    )
    assert lookup.get_account(ctx, JOSE).credit == Money(1500)
    with ctx.db.read() as s:
        assert s.execute(select(func.count(Transaction.id))).scalar_one() == 0


def test_an_account_that_owes_has_no_credit_balance_to_refund(ctx: Context, town: Town) -> None:
    # John Smith holds a $100.00 deposit and owes $104.10: an active account keeps its deposit
    with pytest.raises(ValidationError, match="001234-01 has no credit balance to refund: it owes"):
        refund(ctx, town, "001234-01", "10.00")


def test_a_refund_needs_the_supervisors_override_for_that_account_and_amount(
    ctx: Context, town: Town
) -> None:
    with pytest.raises(PermissionDenied, match="Refund credit needs a supervisor override"):
        refund(ctx, town, JOSE, "15.00", approved=False)
    other = grant(ctx, town, OverrideAction.REFUND, refund_subject(JOSE, Money(1000)))
    with pytest.raises(PermissionDenied, match="does not cover refund credit"):
        refunds.refund_credit(
            ctx,
            session_id=town.session_id,
            user_id=town.cashier.id,
            account_number=JOSE,
            amount=Money(1500),
            method=RefundMethod.CASH,
            reason="overpaid",
            grant_id=other,
            idempotency_key=new_idempotency_key(),
        )
    assert lookup.get_account(ctx, JOSE).credit == Money(1500)


def test_a_cashier_cannot_approve_a_refund() -> None:
    assert not OverrideAction.REFUND.self_approvable


def test_a_retry_with_the_same_key_returns_the_same_slip_and_refunds_once(
    ctx: Context, town: Town
) -> None:
    key = new_idempotency_key()
    first = refund(ctx, town, JOSE, "10.00", key=key)
    again = refund(ctx, town, JOSE, "10.00", key=key)
    assert again.replayed and not first.replayed
    assert again.receipt.number == first.receipt.number
    assert lookup.get_account(ctx, JOSE).credit == Money(500)
    with pytest.raises(ValidationError, match="already used for a different transaction"):
        refund(ctx, town, JOSE, "5.00", key=key)


def test_a_closed_accounts_deposit_and_credit_less_its_final_bill_are_refunded(
    ctx: Context, town: Town
) -> None:
    add_account(
        ctx,
        "020002-01",
        "Brown, Cy",
        "9 Pine St",
        status="closed",
        deposit=10000,
        credit=500,
        charges=[("final_bill", "2026-11-01", "2026-11-22", 4321, 4321)],
    )
    with pytest.raises(ValidationError, match="deposit and credit less the final bill of \\$61.79"):
        refund(ctx, town, "020002-01", "61.80")
    done = refund(ctx, town, "020002-01", "61.79", RefundMethod.CHECK)
    with ctx.db.read() as s:
        account = s.execute(select(Account).where(Account.number == "020002-01")).scalar_one()
        assert (account.credit_cents, account.deposit_cents) == (0, 4321)  # credit first
    assert done.receipt.lines[0].status_note == "Deposit refunded $56.79"
    assert credit_allocations(ctx, "020002-01") == Money(-500)  # only the credit part


def test_a_refund_is_refused_on_a_session_that_is_not_open(ctx: Context, town: Town) -> None:
    count_drawer(ctx, town.session_id)
    with pytest.raises(ValidationError, match="This drawer is closed: session #1 is counted"):
        refund(ctx, town, JOSE, "15.00")
    assert lookup.get_account(ctx, JOSE).credit == Money(1500)


def test_a_refund_needs_a_reason_without_a_card_number(ctx: Context, town: Town) -> None:
    # the reason is checked before the override is looked at
    with pytest.raises(ValidationError, match="enter why the credit is refunded"):
        refund(ctx, town, JOSE, "15.00", reason="  ", approved=False)
    with pytest.raises(ValidationError, match="card number"):
        refund(ctx, town, JOSE, "15.00", reason="card 4111 1111 1111 1111", approved=False)


def test_the_refund_is_audited_and_the_chain_still_verifies(ctx: Context, town: Town) -> None:
    done = refund(ctx, town, JOSE, "15.00", RefundMethod.CHECK)
    with ctx.db.read() as s:
        entity_id, reason, details = s.execute(
            select(AuditEvent.entity_id, AuditEvent.reason, AuditEvent.details).where(
                AuditEvent.action == "transaction.refund"
            )
        ).one()
    assert entity_id == str(done.transaction_id) and reason == "overpaid in October"
    assert details.pop("rows")["of"]["transactions"] == [done.transaction_id]  # its digest
    assert details == {
        "receipt": done.receipt.number,
        "account": JOSE,
        "amount_cents": 1500,
        "method": "check",
        "from_credit_cents": 1500,
        "from_deposit_cents": 0,
    }
    assert audit.verify(ctx).ok


def test_the_slip_names_the_account_the_amount_the_method_the_cashier_and_the_approver(
    ctx: Context, town: Town
) -> None:
    slip = receipts.get_receipt(ctx, refund(ctx, town, JOSE, "15.00").receipt.number)
    texts = [op.text for op in ReceiptLayout(width=42).receipt(slip) if isinstance(op, Text)]
    assert "REFUND" in texts
    for said in (
        "Account" + JOSE.rjust(42 - len("Account")),
        "Amount refunded" + "$15.00".rjust(42 - len("Amount refunded")),
        "Cash refunded" + "$15.00".rjust(42 - len("Cash refunded")),
        "Cashier" + "Maria Lopez".rjust(42 - len("Cashier")),
        "Approved by Sam Ortega",
        "Reason: overpaid in October",
        "Keep this slip: it records your refund.",
    ):
        assert said in texts, said


def test_the_history_lists_the_refund_and_the_header_counts_no_receipt_for_it(
    ctx: Context, town: Town
) -> None:
    done = refund(ctx, town, JOSE, "15.00", RefundMethod.CHECK)
    entries = history.account_history(ctx, JOSE).entries
    assert [(e.kind, e.what, e.amount, e.receipt_number) for e in entries] == [
        (EntryKind.REFUND, "Refund: check to be issued", Money(1500), done.receipt.number)
    ]
    assert sessions.session_totals(ctx, town.session_id).receipts == 0


def test_two_stations_refunding_the_same_credit_at_once_refund_it_once(
    ctx: Context, town: Town
) -> None:
    grants = [
        grant(ctx, town, OverrideAction.REFUND, refund_subject(JOSE, Money(1500))) for _ in "ab"
    ]

    def attempt(i: int) -> Posted:
        return refunds.refund_credit(
            ctx,
            session_id=town.session_id,
            user_id=town.cashier.id,
            account_number=JOSE,
            amount=Money(1500),
            method=RefundMethod.CASH,
            reason="overpaid",
            grant_id=grants[i],
            idempotency_key=new_idempotency_key(),
        )

    results = in_parallel(2, attempt)
    done = [r for r in results if isinstance(r, Posted)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(done) == 1 and len(refused) == 1, results
    assert "has no credit balance to refund" in str(refused[0])
    assert lookup.get_account(ctx, JOSE).credit == Money(0)
