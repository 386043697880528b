from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import InvalidMoney
from counter_app.domain.money import Money, total

cents = st.integers(min_value=-(10**12), max_value=10**12)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", 1200),
        ("12.3", 1230),
        ("12.30", 1230),
        ("$1,200.00", 120000),
        ("1,234,567.89", 123456789),
        (" 84.10 ", 8410),
        (".50", 50),
        ("0", 0),
        ("7.", 700),
        ("$ 5", 500),
    ],
)
def test_cashier_typed_amounts_are_read_exactly(typed: str, expected: int) -> None:
    assert Money.parse(typed) == Money(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("0.005", "more than two decimal places"),
        ("1.999", "more than two decimal places"),
        ("1e3", "is not an amount"),
        ("12..0", "is not an amount"),
        ("1,20.00", "is not an amount"),
        ("abc", "is not an amount"),
        ("$", "is not an amount"),
        (".", "is not an amount"),
        ("NaN", "is not an amount"),
        ("-5.00", "negative"),
        ("99999999999999", "too large"),
    ],
)
def test_inexact_or_malformed_amounts_are_rejected_with_a_message(typed: str, message: str) -> None:
    with pytest.raises(InvalidMoney, match=message):
        Money.parse(typed)


def test_negative_amounts_are_read_only_when_allowed() -> None:
    assert Money.parse("-3.35", allow_negative=True) == Money(-335)


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]


def test_decimal_with_fractions_of_a_cent_is_rejected() -> None:
    assert Money.from_decimal(Decimal("12.30")) == Money(1230)
    with pytest.raises(InvalidMoney):
        Money.from_decimal(Decimal("0.005"))


def test_display_forms() -> None:
    assert Money(120000).format() == "$1,200.00"
    assert Money(-335).format() == "-$3.35"
    assert str(Money(5)) == "0.05"
    assert str(Money(-5)) == "-0.05"


@given(cents)
def test_plain_form_parses_back_to_the_same_amount(c: int) -> None:
    assert Money.parse(str(Money(c)), allow_negative=True) == Money(c)


@given(cents)
def test_display_form_parses_back_to_the_same_amount(c: int) -> None:
    assert Money.parse(Money(c).format(), allow_negative=True) == Money(c)


@given(cents)
def test_decimal_round_trip_is_exact(c: int) -> None:
    assert Money.from_decimal(Money(c).to_decimal()) == Money(c)


@given(cents, cents)
def test_arithmetic_is_exact(a: int, b: int) -> None:
    assert Money(a) + Money(b) - Money(b) == Money(a)
    assert total([Money(a), Money(b)]) == Money(a + b)


@given(cents, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8))
def test_split_parts_always_add_up_to_the_whole(c: int, ratios: list[int]) -> None:
    if sum(ratios) == 0:
        ratios = [*ratios[:-1], 1]
    parts = Money(c).split(ratios)
    assert total(parts) == Money(c)
    assert len(parts) == len(ratios)


# --- any text at all: an amount or the money error, never anything else --------------------
amount_like = st.text(alphabet="0123456789$,.-+ ١٢³٠۵𝟗", max_size=30)


@given(st.one_of(st.text(max_size=60), amount_like))
def test_any_text_is_an_amount_or_a_money_error(text: str) -> None:
    try:
        amount = Money.parse(text, allow_negative=True)
    except InvalidMoney:
        return
    assert isinstance(amount, Money)
    assert text.strip().strip("+-$ ,.").replace(",", "").replace(".", "").isascii()


@given(
    st.text(alphabet=st.characters(categories=["Nd"], exclude_characters="0123456789"), min_size=1)
)
def test_digits_of_other_scripts_are_not_amounts(text: str) -> None:
    with pytest.raises(InvalidMoney, match="is not an amount"):
        Money.parse(text)


@pytest.mark.parametrize("typed", ["١٢", "12²", "۱۲.۵۰", "１２"])
def test_unicode_digits_are_refused(typed: str) -> None:
    with pytest.raises(InvalidMoney):
        Money.parse(typed)


def test_a_number_too_long_for_int_is_a_money_error() -> None:
    with pytest.raises(InvalidMoney, match="too large"):
        Money.parse("9" * 5000)
