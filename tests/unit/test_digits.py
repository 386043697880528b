"""Only ASCII 0-9 are digits at the counter: superscripts, Arabic-Indic and full-width digits
are refused with a message, never read as numbers or crashed on."""

from __future__ import annotations

import pytest

from counter_app.config import ScanLineSettings
from counter_app.domain.denominations import parse_count
from counter_app.domain.digits import is_digits, only_digits
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.scanline import looks_like_scanline
from counter_app.domain.search_keys import digits_key, street_key
from counter_app.domain.tenders import TenderEntry

NOT_ASCII = ["²", "١٢", "１２", "5²"]


@pytest.mark.parametrize("text", ["0", "0123456789"])
def test_ascii_digits_are_digits(text: str) -> None:
    assert is_digits(text)


@pytest.mark.parametrize("text", ["", " 1", "1.0", *NOT_ASCII])
def test_anything_else_is_not(text: str) -> None:
    assert not is_digits(text)


@pytest.mark.parametrize("text", NOT_ASCII)
def test_a_count_in_foreign_digits_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValidationError, match="whole number"):
        parse_count(text, "$20 bills")


def test_a_scan_line_in_foreign_digits_is_not_a_scan_line() -> None:
    layout = ScanLineSettings()
    assert looks_like_scanline("1" * layout.length, layout)
    assert not looks_like_scanline("١" * layout.length, layout)


def test_card_last_four_in_foreign_digits_is_refused() -> None:
    card = TenderEntry(TenderKind.CARD, Money(100), card_last4="١٢٣٤", auth_code="A1B2")
    with pytest.raises(ValidationError, match="last four digits"):
        card.validated()


def test_search_keys_keep_only_ascii_digits() -> None:
    assert only_digits("(555) ١٢٣-0102") == "5550102"
    assert digits_key("77-２0931") == "770931"
    assert street_key("1200 Oak St") == "OAK ST 1200"
