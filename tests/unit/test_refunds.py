"""The refund rules: what may be refunded, from where, and the refusals in words."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.accounts import AccountStatus, AccountSummary
from counter_app.domain.allocation import OpenCharge
from counter_app.domain.csv_rows import Cells
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.payment_rows import PAYMENTS
from counter_app.domain.receipt import TAKEN_IN, TenderKind
from counter_app.domain.refunds import (
    RefundMethod,
    check_reason,
    refund_description,
    refund_subject,
    refundable,
    split_refund,
)
from counter_app.domain.refusals import (
    NoCreditBalance,
    RefundNeedsReason,
    RefundNotPositive,
    RefundOverCredit,
)
from counter_app.domain.tenders import TenderEntry, check_tenders

TODAY = dt.date(2026, 11, 23)


def account(
    *,
    status: AccountStatus = AccountStatus.ACTIVE,
    credit: int = 0,
    deposit: int = 0,
    owed: int = 0,
) -> AccountSummary:
    charges = (OpenCharge(1, "final_bill", TODAY, TODAY, Money(owed)),) if owed else ()
    return AccountSummary(
        id=1,
        number="030000-01",
        customer_name="Núñez, José",
        service_address="42 Birch Ln",
        meter_number="",
        phone="",
        status=status,
        shutoff_date=None,
        deposit=Money(deposit),
        credit=Money(credit),
        checks_not_accepted=False,
        open_charges=charges,
        today=TODAY,
    )


def test_an_account_in_service_may_have_its_credit_balance_refunded_but_not_its_deposit() -> None:
    held = refundable(account(credit=4000, deposit=10000))
    assert held.amount == Money(4000)
    split = split_refund(held, Money(4000))
    assert (split.from_credit, split.from_deposit, split.note) == (Money(4000), Money(0), "")


def test_credit_held_against_open_charges_is_not_a_credit_balance() -> None:
    assert refundable(
        account(credit=4000, owed=1500, status=AccountStatus.SHUTOFF_PENDING)
    ).amount == Money(2500)
    with pytest.raises(NoCreditBalance) as refused:
        split_refund(refundable(account(credit=1000, owed=3500)), Money(1000))
    assert str(refused.value) == (
        "Account 030000-01 has no credit balance to refund: it owes $25.00"
    )
    with pytest.raises(NoCreditBalance, match="its balance is \\$0.00"):
        split_refund(refundable(account()), Money(1))


def test_a_closed_account_gets_its_deposit_back_after_the_credit_less_the_final_bill() -> None:
    closed = refundable(account(status=AccountStatus.CLOSED, credit=500, deposit=10000, owed=4321))
    assert closed.amount == Money(6179)
    split = split_refund(closed, Money(6179))
    assert (split.from_credit, split.from_deposit) == (Money(500), Money(5679))
    assert split.note == "Deposit refunded $56.79"
    with pytest.raises(RefundOverCredit) as refused:
        split_refund(closed, Money(6180))
    assert str(refused.value) == (
        "Refund $61.80 is more than account 030000-01's deposit and credit less the final "
        "bill of $61.79: refund at most $61.79"
    )


@given(
    credit=st.integers(0, 10**6),
    deposit=st.integers(0, 10**6),
    owed=st.integers(0, 10**6),
    closed=st.booleans(),
    data=st.data(),
)
def test_a_refund_never_takes_more_than_is_held_and_takes_the_credit_first(
    credit: int, deposit: int, owed: int, closed: bool, data: st.DataObject
) -> None:
    status = AccountStatus.CLOSED if closed else AccountStatus.ACTIVE
    held = refundable(account(status=status, credit=credit, deposit=deposit, owed=owed))
    if not held.amount:
        return
    amount = Money(data.draw(st.integers(1, held.amount.cents)))
    split = split_refund(held, amount)
    assert split.amount == amount
    assert split.from_credit == amount.min(Money(credit))
    assert split.from_deposit <= (Money(deposit) if closed else Money(0))


def test_a_refund_of_nothing_is_refused() -> None:
    with pytest.raises(RefundNotPositive, match="the amount to refund must be more than zero"):
        split_refund(refundable(account(credit=500)), Money(0))


def test_the_reason_is_one_line_of_plain_words() -> None:
    assert check_reason("030000-01", "  overpaid twice ") == "overpaid twice"
    with pytest.raises(RefundNeedsReason):
        check_reason("030000-01", " ")
    with pytest.raises(ValidationError, match="control character"):
        check_reason("030000-01", "over\x1bpaid")
    with pytest.raises(ValidationError, match="at most 200 fit"):
        check_reason("030000-01", "x" * 201)


def test_the_override_names_the_account_the_amount_and_how() -> None:
    assert refund_subject("030000-01", Money(4000)) == "030000-01 $40.00"
    assert (
        refund_description("001234-01", Money(4000), RefundMethod.CASH)
        == "Refund $40.00 credit to 001234-01 in cash"
    )
    assert refund_description("001234-01", Money(4000), RefundMethod.CHECK).endswith("by check")


def test_a_refund_check_is_stored_as_its_own_kind_and_is_never_a_tender_taken_in() -> None:
    assert RefundMethod.CASH.tender is TenderKind.CASH
    assert RefundMethod.CHECK.tender is TenderKind.REFUND_CHECK
    assert RefundMethod.of(TenderKind.REFUND_CHECK).label == "Check to be issued by the office"
    assert TenderKind.REFUND_CHECK not in TAKEN_IN and TenderKind.CHECK in TAKEN_IN
    with pytest.raises(ValidationError, match="never taken in at the window"):
        check_tenders([TenderEntry(TenderKind.REFUND_CHECK, Money(500))])


def test_a_payments_file_cannot_bring_in_a_refund_check() -> None:
    cells = {"account_number": "030000-01", "amount": "5.00", "tender": "refund_check"}
    row = Cells({**cells, "reference": "1043"})
    PAYMENTS.parse(row)
    assert row.reasons == ['tender is "refund_check": use one of cash, check, money_order, card']
