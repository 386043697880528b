"""Bill-stub scan lines: read back what a stub carries, refuse a damaged one."""

from dataclasses import dataclass, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.scanline import (
    CheckMethod,
    looks_like_scanline,
    make_scanline,
    parse_scanline,
)


@dataclass(frozen=True)
class Layout:
    length: int = 20
    account_start: int = 0
    account_length: int = 9
    amount_start: int = 9
    amount_length: int = 10
    check_method: CheckMethod = "mod10"


DEFAULT = Layout()
METHODS: list[CheckMethod] = ["mod10", "dual_mod10", "mod11"]


def test_a_stub_line_gives_its_account_and_amount_due() -> None:
    line = make_scanline("001234-01", Money(8410), DEFAULT)
    assert len(line) == 20 and line.startswith("001234012")
    scan = parse_scanline(f" {line} ", DEFAULT)
    assert (scan.account_number, scan.amount_due, scan.raw) == ("001234-01", Money(8410), line)


@pytest.mark.parametrize("method", METHODS)
def test_a_changed_digit_is_caught_by_every_check_method(method: CheckMethod) -> None:
    layout = replace(DEFAULT, check_method=method)
    line = make_scanline("001234-01", Money(8410), layout)
    damaged = line[:12] + str((int(line[12]) + 1) % 10) + line[13:]
    with pytest.raises(ValidationError, match="did not scan cleanly"):
        parse_scanline(damaged, layout)


def test_a_line_of_the_wrong_length_is_refused_saying_what_was_expected() -> None:
    assert not looks_like_scanline("0012340", DEFAULT)
    with pytest.raises(ValidationError, match="must be 20 digits; got 7 characters"):
        parse_scanline("0012340", DEFAULT)


def test_letters_in_a_line_of_the_right_length_are_not_a_scan_line() -> None:
    assert not looks_like_scanline("00123401X" + "0" * 11, DEFAULT)


def test_an_amount_too_long_for_the_layout_cannot_be_printed() -> None:
    with pytest.raises(ValidationError, match="too large"):
        make_scanline("001234-01", Money(10**10), DEFAULT)


@given(
    st.integers(min_value=0, max_value=99_999_999),
    st.integers(min_value=0, max_value=9_999_999_999).map(Money),
    st.sampled_from(METHODS),
)
def test_every_printed_stub_reads_back_as_printed(
    account: int, amount: Money, method: CheckMethod
) -> None:
    number = f"{account:08d}"
    number = f"{number[:6]}-{number[6:]}"
    layout = replace(DEFAULT, check_method=method)
    scan = parse_scanline(make_scanline(number, amount, layout), layout)
    assert (scan.account_number, scan.amount_due) == (number, amount)
