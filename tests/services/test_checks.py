"""Checks already taken today, for the duplicate-check warning."""

import pytest

from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry, taken_before
from counter_app.services import checks, sessions
from counter_app.services.context import Context
from counter_app.services.voids import void_receipt, void_subject
from tests.helpers import FLOAT, Town, cash, grant, pay, with_settings


def _check(amount: str, number: str, bank: str = "") -> TenderEntry:
    return TenderEntry(TenderKind.CHECK, Money.parse(amount), reference=number, bank=bank)


def test_the_checks_taken_today_at_any_station_are_listed_unless_reversed(
    ctx: Context, town: Town
) -> None:
    first = pay(ctx, town, [("001234-01", "50.00")], [_check("50.00", "1234", "First Bank")])
    pay(ctx, town, [("010002-01", "20.00")], [cash("20.00")])
    voided = pay(ctx, town, [("010002-01", "30.00")], [_check("30.00", "77")])
    void_receipt(
        ctx,
        receipt_number=voided.receipt.number,
        user_id=town.cashier.id,
        grant_id=grant(ctx, town, OverrideAction.VOID, void_subject(voided.receipt.number)),
        reason_code="Wrong amount",
    )
    w03 = with_settings(ctx, station="W03")
    other = sessions.open_session(w03, town.supervisor.id, FLOAT)
    post = pay(
        w03,
        Town(town.supervisor, town.supervisor, other.id),
        [("030000-01", "5.00")],
        [_check("5.00", "9", "Other Bank")],
    )

    taken = checks.taken_today(ctx, town.session_id)
    assert [(t.reference, t.bank, t.receipt_number, t.accounts) for t in taken] == [
        ("1234", "First Bank", first.receipt.number, ("001234-01",)),
        ("9", "Other Bank", post.receipt.number, ("030000-01",)),
    ]
    again = taken_before(_check("80.00", " 1234", "first  BANK "), taken)
    assert again is not None and again.warning == (
        f"Check #1234 (First Bank) was already taken today: receipt {first.receipt.number}, "
        "$50.00 to 001234-01"
    )
    assert taken_before(_check("50.00", "1234", "Second Bank"), taken) is None
    assert taken_before(_check("50.00", "1234"), taken) is None  # no bank: not the same
    assert taken_before(_check("30.00", "77"), taken) is None  # that one was voided


def test_a_bank_name_longer_than_its_column_is_refused_before_the_database_sees_it(
    ctx: Context, town: Town
) -> None:
    with pytest.raises(ValidationError, match="Bank is 120 characters long: at most 60 fit"):
        pay(ctx, town, [("001234-01", "5.00")], [_check("5.00", "1234", "B" * 120)])
    assert checks.taken_today(ctx, town.session_id) == []
