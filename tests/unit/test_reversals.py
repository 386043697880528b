"""Reversal arithmetic: what goes back to each charge and the credit, which tenders go back,
what cash leaves the drawer, and how a returned check is spread over its payments."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.allocation import Applied
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TAKEN_IN, TenderKind
from counter_app.domain.refusals import CreditAlreadyUsed
from counter_app.domain.reversals import (
    PaidPart,
    split_returned_check,
    take_back,
    void_refund,
)

PAID = [PaidPart(10, 1, Money(2000)), PaidPart(11, 2, Money(3000)), PaidPart(12, None, Money(500))]
CASH, CHECK, CARD = TenderKind.CASH, TenderKind.CHECK, TenderKind.CARD


def test_taking_back_undoes_the_credit_first_then_the_newest_charge() -> None:
    assert take_back(Money(4000), PAID, credit_on_file=Money(500), account_number="x") == [
        Applied(None, Money(500)),
        Applied(2, Money(3000)),
        Applied(1, Money(500)),
    ]


def test_taking_back_credit_already_spent_is_refused() -> None:
    with pytest.raises(CreditAlreadyUsed, match="001234-01: the credit from this payment"):
        take_back(Money(100), PAID, credit_on_file=Money(99), account_number="001234-01")


def test_more_than_the_payment_applied_cannot_be_taken_back() -> None:
    with pytest.raises(ValueError, match="at most"):
        take_back(Money(5501), PAID, credit_on_file=Money(500), account_number="x")


def test_a_void_hands_back_non_cash_in_full_and_the_cash_the_drawer_kept() -> None:
    refund = void_refund([(CASH, Money(5000)), (CHECK, Money(2000)), (CASH, Money(100))], Money(90))
    assert refund.lines == ((1, Money(2000)), (0, Money(5010)))
    assert refund.cash_out == Money(5010)
    assert refund.handed_back == Money(7010)


def test_a_void_of_cash_paid_exactly_with_change_to_nothing_gives_no_cash_line() -> None:
    assert void_refund([(CASH, Money(500)), (CARD, Money(100))], Money(500)).lines == (
        (1, Money(100)),
    )


def test_a_returned_check_is_spread_over_the_payments_and_the_largest_bears_the_fee() -> None:
    spread = split_returned_check(Money(10000), [Money(2500), Money(7500), Money(5000)])
    assert spread.parts == (Money(1667), Money(5000), Money(3333))
    assert spread.fee_payment == 1


@st.composite
def paid_parts(draw: st.DrawFn) -> list[PaidPart]:
    cents = draw(st.lists(st.integers(min_value=1, max_value=50_000), min_size=1, max_size=6))
    credit = draw(st.integers(min_value=0, max_value=20_000))
    parts = [PaidPart(i, i, Money(c)) for i, c in enumerate(cents, start=1)]
    return [*parts, PaidPart(len(parts) + 1, None, Money(credit))] if credit else parts


@given(paid_parts(), st.data())
def test_taking_back_adds_up_and_never_reopens_a_charge_past_what_it_was_paid(
    parts: list[PaidPart], data: st.DataObject
) -> None:
    paid = total(p.amount for p in parts)
    amount = Money(data.draw(st.integers(min_value=0, max_value=paid.cents)))
    undone = take_back(amount, parts, credit_on_file=paid, account_number="x")
    assert total(u.amount for u in undone) == amount
    applied = {p.charge_id: p.amount for p in parts}
    assert all(Money(0) < u.amount <= applied[u.charge_id] for u in undone)
    credit = [u for u in undone if u.charge_id is None]
    assert not credit or undone[0] is credit[0]  # the credit goes first


tenders = st.lists(
    st.tuples(st.sampled_from(TAKEN_IN), st.integers(min_value=1, max_value=90_000)),
    min_size=1,
    max_size=5,
)


@given(tenders, st.data())
def test_a_void_gives_back_everything_but_the_change_and_no_cash_from_a_check(
    taken: list[tuple[TenderKind, int]], data: st.DataObject
) -> None:
    handed = [(kind, Money(cents)) for kind, cents in taken]
    cash = total(m for k, m in handed if k is CASH)
    change = Money(data.draw(st.integers(min_value=0, max_value=cash.cents)))
    refund = void_refund(handed, change)
    assert refund.handed_back == total(m for _, m in handed) - change
    assert refund.cash_out == cash - change and not refund.cash_out.is_negative
    for index, amount in refund.lines:
        kind, given_amount = handed[index]
        assert amount == (refund.cash_out if kind is CASH else given_amount)
    assert len([1 for i, _ in refund.lines if handed[i][0] is CASH]) <= 1


@given(
    st.integers(min_value=1, max_value=200_000).map(Money),
    st.lists(st.integers(min_value=1, max_value=90_000).map(Money), min_size=1, max_size=5),
)
def test_a_returned_check_spread_adds_up_and_takes_no_payment_below_zero(
    check: Money, payments: list[Money]
) -> None:
    spread = split_returned_check(check, payments)
    assert total(spread.parts) == check.min(total(payments))
    assert all(Money(0) <= part <= paid for part, paid in zip(spread.parts, payments, strict=True))
    assert spread.parts[spread.fee_payment] == max(spread.parts)
