import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.account_number import (
    check_digit,
    format_number,
    luhn_digit,
    parse_account_number,
    with_check_digit,
)
from counter_app.domain.errors import InvalidAccountNumber


def test_luhn_digit_matches_the_published_example() -> None:
    assert luhn_digit("7992739871") == 3


@pytest.mark.parametrize("typed", ["001234-01", "00123401", " 001234 01 ", "001234-01-"])
def test_account_number_is_read_with_or_without_dash(typed: str) -> None:
    assert parse_account_number(typed) == "001234-01"


def test_account_number_with_its_check_digit_is_verified() -> None:
    full = with_check_digit("001234-01")
    assert parse_account_number(full) == "001234-01"
    assert parse_account_number(full.replace("-", "")) == "001234-01"


def test_wrong_check_digit_is_rejected_with_the_fix() -> None:
    wrong = (check_digit("001234-01") + 1) % 10
    with pytest.raises(InvalidAccountNumber, match="check digit .* is wrong"):
        parse_account_number(f"00123401{wrong}")


@pytest.mark.parametrize("typed", ["", "1234", "0012340123", "00123A01", "smith"])
def test_malformed_account_numbers_are_rejected(typed: str) -> None:
    with pytest.raises(InvalidAccountNumber):
        parse_account_number(typed)


def test_format_number_pads_location_and_sequence() -> None:
    assert format_number(1234, 1) == "001234-01"
    with pytest.raises(InvalidAccountNumber):
        format_number(1_000_000, 1)


@pytest.mark.parametrize("typed", ["00123401²", "٠٠١٢٣٤٠١", "001234-0¹", "００１２３４０１"])
def test_digits_other_than_ascii_are_not_an_account_number(typed: str) -> None:
    with pytest.raises(InvalidAccountNumber, match="is not an account number"):
        parse_account_number(typed)


@given(st.one_of(st.text(max_size=30), st.text(alphabet="0123456789- ²١٣", max_size=14)))
def test_any_text_is_an_account_number_or_the_account_number_error(text: str) -> None:
    try:
        number = parse_account_number(text)
    except InvalidAccountNumber:
        return
    assert len(number) == 9 and number[6] == "-"
    assert (number[:6] + number[7:]).isascii() and (number[:6] + number[7:]).isdigit()
