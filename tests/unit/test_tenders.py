"""Tenders and settling them: change only from cash, the excess non-cash, duplicates."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.db.models import Tender
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TAKEN_IN, TenderKind
from counter_app.domain.refusals import NoTender, ShortTender, TenderEnteredTwice
from counter_app.domain.tenders import (
    AUTH_MAX,
    BANK_MAX,
    REFERENCE_MAX,
    TenderEntry,
    change_due,
    check_tenders,
    settle,
)

amounts = st.integers(min_value=1, max_value=10**7).map(Money)


def tender(kind: TenderKind, cents: int, reference: str = "") -> TenderEntry:
    if kind is TenderKind.CARD:
        return TenderEntry(kind, Money(cents), card_last4="4242", auth_code="A1B2")
    if kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER) and not reference:
        reference = "1"
    return TenderEntry(kind, Money(cents), reference=reference)


@st.composite
def tender_lists(draw: st.DrawFn) -> list[TenderEntry]:
    """One to five tenders of any kind, each check / money order with its own number."""
    kinds = draw(st.lists(st.sampled_from(TAKEN_IN), min_size=1, max_size=5))
    return [
        tender(kind, draw(st.integers(min_value=1, max_value=10**6)), reference=str(i + 1))
        for i, kind in enumerate(kinds)
    ]


def test_cash_over_the_total_is_change() -> None:
    done = settle(Money(8410), [tender(TenderKind.CASH, 10000)])
    assert (done.tendered, done.change, done.excess_noncash) == (
        Money(10000),
        Money(1590),
        Money(0),
    )


def test_a_check_over_the_total_gives_no_change_and_is_excess() -> None:
    done = settle(Money(8410), [tender(TenderKind.CHECK, 10000)])
    assert (done.change, done.excess_noncash) == (Money(0), Money(1590))


def test_change_is_at_most_the_cash_handed_over() -> None:
    tenders = [tender(TenderKind.CHECK, 9000), tender(TenderKind.CASH, 2000)]
    done = settle(Money(8410), tenders)
    assert (done.change, done.excess_noncash) == (Money(2000), Money(590))
    assert change_due(Money(8410), tenders) == Money(2000)


def test_tenders_short_of_the_total_are_refused_with_the_shortfall() -> None:
    with pytest.raises(ShortTender, match=r"Tendered \$80.00 is \$4.10 short of the total"):
        settle(Money(8410), [tender(TenderKind.CASH, 8000)])
    assert change_due(Money(8410), [tender(TenderKind.CASH, 8000)]) == Money(0)


def test_no_tender_is_refused() -> None:
    with pytest.raises(NoTender, match="Add a tender"):
        check_tenders([])


def test_the_same_check_twice_is_refused_whatever_its_spacing_or_case() -> None:
    with pytest.raises(TenderEnteredTwice, match="Check #12a is already on this transaction"):
        check_tenders([tender(TenderKind.CHECK, 100, "12A"), tender(TenderKind.CHECK, 100, "12a ")])
    same_number = [tender(TenderKind.CHECK, 100, "7"), tender(TenderKind.MONEY_ORDER, 100, "7")]
    assert check_tenders(same_number) == same_number  # a check and a money order may share it


def test_an_invalid_tender_is_refused_by_check_tenders() -> None:
    with pytest.raises(ValidationError, match="enter the check number"):
        check_tenders([TenderEntry(TenderKind.CHECK, Money(100))])


@given(amounts, tender_lists())
def test_settling_adds_up_to_the_cent_and_change_never_comes_from_a_check(
    due: Money, tenders: list[TenderEntry]
) -> None:
    tendered = total(t.amount for t in tenders)
    if tendered < due:
        with pytest.raises(ShortTender):
            settle(due, tenders)
        return
    done = settle(due, tenders)
    cash = total(t.amount for t in tenders if t.kind is TenderKind.CASH)
    assert done.total + done.change + done.excess_noncash == done.tendered == tendered
    assert Money(0) <= done.change <= cash
    assert not done.excess_noncash.is_negative
    assert done.change == change_due(due, tenders)
    if done.excess_noncash:  # cash was given back in full before any non-cash stays over
        assert done.change == cash


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        (TenderEntry(TenderKind.CHECK, Money(100)), "Check: enter the check number"),
        (
            TenderEntry(TenderKind.CHECK, Money(100), reference="12-34 A"),
            'Check number "12-34 A" has a space: type only letters, digits and dashes',
        ),
        (
            TenderEntry(TenderKind.MONEY_ORDER, Money(100), reference="12/34#"),
            'Money order number "12/34#" has "/", "#": type only letters, digits and dashes',
        ),
        (
            TenderEntry(TenderKind.CHECK, Money(100), reference="9" * 80),
            "Check number is 80 characters long: at most 20 fit",
        ),
        (
            TenderEntry(TenderKind.CHECK, Money(100), reference="4111111111111111"),
            "Check number looks like a card number: never type a card number here",
        ),
        (
            TenderEntry(TenderKind.CHECK, Money(100), reference="1234", bank="B" * 120),
            "Bank is 120 characters long: at most 60 fit",
        ),
        (
            TenderEntry(TenderKind.CHECK, Money(100), reference="1234", bank="First\x07Bank"),
            "Bank has a control character in it: type it again",
        ),
        (
            TenderEntry(TenderKind.CHECK, Money(100), reference="1234", bank="4111 1111 1111 1111"),
            "Bank looks like a card number: never type a card number here",
        ),
        (
            TenderEntry(TenderKind.CARD, Money(100), card_last4="4242"),
            "Card: enter the authorisation code from the terminal",
        ),
        (
            TenderEntry(TenderKind.CARD, Money(100), card_last4="4242", auth_code="A1" * 8),
            "Card: the authorisation code is 4 to 12 letters or digits (16 typed)",
        ),
        (
            TenderEntry(TenderKind.CARD, Money(100), card_last4="4242", auth_code="A1-B2"),
            'Card: the authorisation code "A1-B2" has "-": letters and digits only',
        ),
    ],
)
def test_a_tender_refused_as_typed_says_exactly_what_is_wrong(
    entry: TenderEntry, says: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        entry.validated()
    assert str(refused.value) == says


def test_what_a_tender_may_hold_fits_the_columns_it_is_stored_in() -> None:
    columns = Tender.__table__.columns
    assert REFERENCE_MAX <= columns["reference"].type.length == 40
    assert BANK_MAX <= columns["bank"].type.length == 60
    assert AUTH_MAX <= columns["auth_code"].type.length == 12
    longest = TenderEntry(
        TenderKind.CHECK, Money(100), reference="9" * REFERENCE_MAX, bank="B" * BANK_MAX
    )
    assert longest.validated() is longest
    assert TenderEntry(TenderKind.CHECK, Money(1), reference="12-34A").validated()
