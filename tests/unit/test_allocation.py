"""Allocation: oldest bill first, fees first within a bill, the remainder credit."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.allocation import (
    FEE_KINDS,
    Applied,
    OpenCharge,
    allocate,
    credit_of,
    payment_order,
)
from counter_app.domain.money import Money, total

SEPT, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)


def charge(id_: int, kind: str, bill: dt.date, cents: int) -> OpenCharge:
    return OpenCharge(id_, kind, bill, bill + dt.timedelta(days=21), Money(cents))


CHARGES = [
    charge(1, "water", OCT, 3000),
    charge(2, "water", SEPT, 2000),
    charge(3, "late_fee", SEPT, 500),
    charge(4, "sewer", SEPT, 0),  # paid already: never in the order
]


def test_the_oldest_bill_is_paid_first_with_its_fees_first() -> None:
    assert allocate(Money(3000), CHARGES, fees_first=True) == [
        Applied(3, Money(500)),
        Applied(2, Money(2000)),
        Applied(1, Money(500)),
    ]


def test_without_fees_first_a_bill_is_paid_by_due_date_then_id() -> None:
    assert [c.id for c in payment_order(CHARGES, fees_first=False)] == [2, 3, 1]


def test_what_is_left_after_every_charge_is_one_credit_line() -> None:
    applied = allocate(Money(6000), CHARGES, fees_first=True)
    assert applied[-1] == Applied(None, Money(500))
    assert credit_of(applied) == Money(500)


def test_nothing_owed_makes_the_whole_payment_credit() -> None:
    assert allocate(Money(100), [], fees_first=True) == [Applied(None, Money(100))]


def test_a_negative_amount_is_not_allocated() -> None:
    with pytest.raises(ValueError, match="positive"):
        allocate(Money(-1), CHARGES, fees_first=True)


@st.composite
def open_charges(draw: st.DrawFn) -> list[OpenCharge]:
    count = draw(st.integers(min_value=0, max_value=8))
    return [
        charge(
            i,
            draw(st.sampled_from(["water", "sewer", *sorted(FEE_KINDS)])),
            SEPT + dt.timedelta(days=30 * draw(st.integers(0, 3))),
            draw(st.integers(min_value=0, max_value=50_000)),
        )
        for i in range(1, count + 1)
    ]


@given(st.integers(min_value=0, max_value=300_000).map(Money), open_charges(), st.booleans())
def test_allocation_adds_up_and_leaves_no_charge_below_zero(
    amount: Money, charges: list[OpenCharge], fees_first: bool
) -> None:
    applied = allocate(amount, charges, fees_first=fees_first)
    assert total(a.amount for a in applied) == amount
    assert all(a.amount.is_positive for a in applied)
    by_id = {c.id: c for c in charges}
    for a in applied:
        if a.charge_id is not None:
            assert a.amount <= by_id[a.charge_id].open  # open after is never negative
    order = [c.id for c in payment_order(charges, fees_first=fees_first)]
    paid = [a.charge_id for a in applied if a.charge_id is not None]
    assert paid == order[: len(paid)]  # oldest first, none skipped
    for charge_id in paid[:-1]:  # every charge but the last one paid is paid in full
        assert next(a.amount for a in applied if a.charge_id == charge_id) == by_id[charge_id].open
    owed = total(c.open for c in charges)
    assert credit_of(applied) == (amount - owed).max(Money(0))
