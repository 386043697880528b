"""The blind count's arithmetic, the ticked checks, the float kept and the check list CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.counts import CountItem, DrawerCount, counted_figures, split_cash
from counter_app.domain.denominations import DENOMINATIONS, count_total
from counter_app.domain.deposits import Deposit, DepositLine, DepositLineKind, check_list_csv
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind

M = Money.parse
ITEMS = (
    CountItem(11, TenderKind.CHECK, "1043", "First Bank", M("200.00"), ("001234-01",)),
    CountItem(12, TenderKind.CHECK, "877", "", M("84.10"), ("010002-01",)),
    CountItem(13, TenderKind.MONEY_ORDER, "55-1", "USPS", M("50.00"), ("004410-02",)),
)


def test_a_count_totals_cash_ticked_checks_money_orders_and_the_card_batch() -> None:
    count = DrawerCount(
        cash={"20": 10, "0.25": 4}, ticked=frozenset({11, 12, 13}), card_batch=M("61.00")
    )
    figures = counted_figures(count, ITEMS)
    assert figures.counted == {
        TenderKind.CASH: M("201.00"),
        TenderKind.CHECK: M("284.10"),
        TenderKind.MONEY_ORDER: M("50.00"),
        TenderKind.CARD: M("61.00"),
    }
    assert figures.missing == ()


def test_a_check_not_ticked_is_named_as_missing() -> None:
    figures = counted_figures(DrawerCount(ticked=frozenset({12, 13})), ITEMS)
    assert figures.counted[TenderKind.CHECK] == M("84.10")
    assert figures.missing_words == (
        "Not in the drawer: Check #1043 (First Bank) $200.00, 001234-01",
    )


def test_a_foot_that_does_not_match_the_ticks_is_refused_naming_what_is_not_ticked() -> None:
    count = DrawerCount(ticked=frozenset({12, 13}), ticked_count=3, ticked_total=M("334.10"))
    with pytest.raises(ValidationError) as refused:
        counted_figures(count, ITEMS)
    assert str(refused.value) == (
        "The checks and money orders add up to 3 for $334.10, but 2 for $134.10 are ticked. "
        "Not ticked: Check #1043 (First Bank) $200.00, 001234-01"
    )


def test_a_tick_that_is_not_on_the_list_and_a_negative_card_batch_are_refused() -> None:
    with pytest.raises(ValidationError, match="Tender #99 is not one of this session's"):
        counted_figures(DrawerCount(ticked=frozenset({99})), ITEMS)
    with pytest.raises(ValidationError, match="card batch total cannot be negative"):
        counted_figures(DrawerCount(card_batch=M("-1.00", allow_negative=True)), ITEMS)
    with pytest.raises(ValidationError, match="Unknown denomination"):
        counted_figures(DrawerCount(cash={"3": 1}), ITEMS)


def test_the_float_kept_by_amount_keeps_small_bills_and_coin_and_banks_the_big_ones() -> None:
    counted = {"100": 3, "20": 12, "5": 8, "1": 30, "0.25": 40, "roll_0.25": 2}
    split = split_cash(counted, M("200.00"))
    assert split.kept_total == M("200.00")
    assert split.deposited == {"100": 3, "20": 7}
    assert (split.currency, split.coin) == (M("440.00"), Money(0))
    assert split.kept == {"20": 5, "5": 8, "1": 30, "0.25": 40, "roll_0.25": 2}


def test_the_float_kept_by_denomination_keeps_what_the_drawer_has_of_each() -> None:
    split = split_cash({"20": 3, "1": 50, "0.25": 10}, {"20": 5, "1": 20})
    assert split.kept == {"20": 3, "1": 20}
    assert split.deposited == {"1": 30, "0.25": 10}
    assert split.coin == M("2.50")


def test_a_drawer_with_less_cash_than_the_float_keeps_it_all() -> None:
    split = split_cash({"20": 2}, M("200.00"))
    assert (split.kept, split.deposited) == ({"20": 2}, {})


counts = st.dictionaries(
    st.sampled_from([d.code for d in DENOMINATIONS]), st.integers(min_value=0, max_value=300)
)


@given(counts, st.integers(min_value=0, max_value=500_00).map(Money))
def test_the_float_and_the_deposit_always_add_up_to_the_count(
    counted: dict[str, int], keep: Money
) -> None:
    split = split_cash(counted, keep)
    assert split.kept_total + split.deposited_total == count_total(counted)
    assert split.kept_total >= keep.min(count_total(counted))
    assert split.currency + split.coin == split.deposited_total


def test_the_check_list_csv_has_one_row_per_item_and_a_total_row() -> None:
    deposit = Deposit(
        id=1,
        slip_number="20261123-01",
        business_date=dt.date(2026, 11, 23),
        bank_name="First Riverton Bank",
        account_name="Operating",
        account_number="000123456789",
        session_ids=(1,),
        lines=(
            DepositLine(DepositLineKind.CURRENCY, M("100.00"), denomination="20", quantity=5),
            DepositLine(
                DepositLineKind.CHECK,
                M("1200.00"),
                tender_id=11,
                session_id=1,
                number="1043",
                bank="First, Bank",
                accounts=("001234-01",),
            ),
            DepositLine(
                DepositLineKind.MONEY_ORDER,
                M("50.00"),
                tender_id=13,
                session_id=1,
                number="55-1",
                bank="USPS",
                accounts=("004410-02", "010002-01"),
            ),
        ),
        float_kept=M("200.00"),
    )
    assert check_list_csv(deposit) == (
        "item,kind,number,bank,amount,accounts,session\n"
        '1,check,1043,"First, Bank",1200.00,001234-01,1\n'
        "2,money_order,55-1,USPS,50.00,004410-02 010002-01,1\n"
        "total,2,,,1250.00,,\n"
    )
    assert (deposit.checks, deposit.total) == (M("1250.00"), M("1350.00"))
