"""The demo day's plan (domain/demo_day): the same seed makes the same day, the day has
what the issue asks for, and a count in bills and coin adds up to the amount."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.demo_day import (
    DROP_KEEPS,
    FLOAT,
    LAST_PAYMENT,
    CloseKind,
    DayPlan,
    Payable,
    at,
    cash_count,
    plan_day,
)
from counter_app.domain.denominations import count_total
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import MovementKind

PAYABLES = [Payable(f"{100000 + i:06d}-01", Money(1000 + 37 * i)) for i in range(50)]
DRAWERS = (
    ("W01", "cashier", CloseKind.BALANCED),
    ("W02", "cashier2", CloseKind.SHORT),
    ("W03", "cashier3", CloseKind.DUAL),
)
TOLERANCE = Money(100)


def _plan(payments: int = 1_000, seed: int = 7) -> DayPlan:
    return plan_day(PAYABLES, payments, seed, DRAWERS, TOLERANCE)


def test_the_same_seed_plans_the_same_day_and_another_seed_another() -> None:
    assert _plan(seed=7) == _plan(seed=7)
    assert _plan(seed=7) != _plan(seed=8)


def test_the_day_has_every_payment_three_drawers_a_mail_batch_and_voids() -> None:
    plan = plan_day(PAYABLES, 1_000, 7, DRAWERS, TOLERANCE)
    assert plan.payments == 1_000
    assert [d.station for d in plan.drawers] == ["W01", "W02", "W03"]
    assert len(plan.mail) == 100
    assert all(p.tender.kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER) for p in plan.mail)
    assert plan.voids >= 1
    taken = [p for d in plan.drawers for p in d.payments]
    counter_tenders = {TenderKind.CASH, TenderKind.CHECK, TenderKind.MONEY_ORDER, TenderKind.CARD}
    assert {p.tender.kind for p in taken} == counter_tenders
    assert all(p.minute <= LAST_PAYMENT for p in taken)
    returned = plan.drawers[0].payments[plan.returned]
    assert returned.tender.kind is TenderKind.CHECK and not returned.voided


def test_cash_is_handed_over_in_round_notes_and_never_short() -> None:
    plan = plan_day(PAYABLES, 1_000, 7, DRAWERS, TOLERANCE)
    cash = [p for d in plan.drawers for p in d.payments if p.tender.kind is TenderKind.CASH]
    assert cash and all(p.tender.amount >= p.amount for p in cash)
    assert all(p.tender.amount.cents % 100 == 0 for p in cash)
    assert any(p.tender.amount > p.amount for p in cash)  # change is given


def test_only_the_short_drawer_is_short_and_beyond_the_tolerance() -> None:
    plan = plan_day(PAYABLES, 1_000, 7, DRAWERS, TOLERANCE)
    shorts = {d.close: d.short for d in plan.drawers}
    assert shorts[CloseKind.SHORT] > TOLERANCE
    assert shorts[CloseKind.BALANCED] == shorts[CloseKind.DUAL] == Money(0)


def test_each_drawer_pays_in_pays_out_opens_for_no_sale_and_drops_what_it_can_spare() -> None:
    plan = plan_day(PAYABLES, 1_000, 7, DRAWERS, TOLERANCE)
    for drawer in plan.drawers:
        kinds = [m.kind for m in drawer.movements]
        assert {MovementKind.PAID_IN, MovementKind.PAID_OUT, MovementKind.NO_SALE} <= set(kinds)
        assert [m.minute for m in drawer.movements] == sorted(m.minute for m in drawer.movements)
        for drop in (m for m in drawer.movements if m.kind is MovementKind.DROP):
            cash = sum(
                p.amount.cents
                for p in drawer.payments
                if p.tender.kind is TenderKind.CASH and p.minute < drop.minute and not p.voided
            )
            assert drop.amount.cents % 10_000 == 0 and drop.amount.cents <= cash
    assert any(m.kind is MovementKind.DROP for d in plan.drawers for m in d.movements)
    assert DROP_KEEPS.is_positive


def test_a_day_too_small_or_without_accounts_is_refused() -> None:
    with pytest.raises(ValidationError, match="20 to 100,000 payments"):
        plan_day(PAYABLES, 5, 1, DRAWERS, TOLERANCE)
    with pytest.raises(ValidationError, match="load a demo city"):
        plan_day([], 100, 1, DRAWERS, TOLERANCE)


def test_times_are_the_office_day_in_its_zone() -> None:
    chicago = ZoneInfo("America/Chicago")
    assert at(dt.date(2026, 11, 20), 0, chicago) == dt.datetime(2026, 11, 20, 14, tzinfo=dt.UTC)
    assert at(dt.date(2026, 7, 20), 90, chicago) == dt.datetime(2026, 7, 20, 14, 30, tzinfo=dt.UTC)


@given(st.integers(min_value=0, max_value=10**9))
def test_a_cash_count_adds_up_to_the_amount(cents: int) -> None:
    assert count_total(cash_count(Money(cents))) == Money(cents)
    with_float = cash_count(Money(cents), FLOAT)
    assert count_total(with_float) == Money(cents)
    if Money(cents) >= count_total(FLOAT):  # the float's bills and coin are all there
        assert all(with_float.get(code, 0) >= n for code, n in FLOAT.items())


def test_a_negative_cash_figure_cannot_be_counted() -> None:
    with pytest.raises(ValidationError, match="cannot hold"):
        cash_count(Money(-1))
