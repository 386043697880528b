"""Untrusted text never carries a card number or a control character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.account_number import luhn_digit
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import MovementKind, check_movement
from counter_app.domain.tenders import TenderEntry
from counter_app.domain.text import (
    first_control,
    looks_like_card_number,
    printable,
    untrusted_text_refusal,
)


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111111",
        "4111 1111 1111 1111 exp 12/29 cvv 123",
        "card 4111-1111-1111-1111",
        "5500005555555559",
        "378282246310005",  # 15 digits
    ],
)
def test_a_luhn_valid_run_of_13_to_19_digits_is_taken_for_a_card_number(text: str) -> None:
    assert looks_like_card_number(text)
    assert "looks like a card number" in (untrusted_text_refusal("Bank", text) or "")


@pytest.mark.parametrize(
    "text",
    ["4111111111111112", "1043", "001234-01", "W02-20261123-0042", "555-010-2000", ""],
)
def test_check_numbers_accounts_receipts_and_phones_are_not_card_numbers(text: str) -> None:
    assert not looks_like_card_number(text)
    assert untrusted_text_refusal("Reference", text) is None


@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_any_luhn_valid_body_with_its_check_digit_is_caught(body: str) -> None:
    assert looks_like_card_number(body + str(luhn_digit(body)))


def test_a_reason_holding_a_card_number_is_refused() -> None:
    with pytest.raises(ValidationError, match="Paid-out reason: looks like a card number"):
        check_movement(MovementKind.PAID_OUT, Money(500), "refund to 4111 1111 1111 1111")


@given(st.text())
def test_printable_text_holds_no_control_character(text: str) -> None:
    assert first_control(printable(text)) is None


@pytest.mark.parametrize(
    ("kind", "field", "value", "says"),
    [
        (TenderKind.CASH, "reference", "x" * 41, "at most 40 fit"),
        (TenderKind.CASH, "reference", "4111111111111111", "looks like a card number"),
        (TenderKind.CARD, "reference", "note\x00", "control character"),
        (TenderKind.CHECK, "bank", "4111 1111 1111 1111 exp 12/29 cvv 123", "card number"),
    ],
)
def test_every_tender_text_field_is_checked_against_its_column_and_for_card_numbers(
    kind: TenderKind, field: str, value: str, says: str
) -> None:
    details = {"reference": "1043" if kind is TenderKind.CHECK else "", field: value}
    extra = {"card_last4": "1234", "auth_code": "123456"} if kind is TenderKind.CARD else {}
    with pytest.raises(ValidationError, match=says):
        TenderEntry(kind, Money(500), **details, **extra).validated()
