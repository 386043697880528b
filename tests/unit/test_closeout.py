"""The one expected-figures function, worked by hand for the traps other systems fell into,
and over/short against a count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.closeout import (
    DRAWER_TENDERS,
    SessionActivity,
    Tape,
    TapeCheck,
    activity_from,
    balance,
    day_activity,
    expected_figures,
    opening_difference,
    over_short_words,
)
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind


def M(text: str) -> Money:
    return Money.parse(text, allow_negative=True)


FLOAT = M("200.00")
CASH, CHECK, MO, CARD = DRAWER_TENDERS


def _expected(
    tenders: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    change: str = "0",
    movements: list[tuple[str, str]] = (),  # type: ignore[assignment]
    opening: Money = FLOAT,
) -> dict[TenderKind, Money]:
    activity = activity_from(
        opening,
        [(txn, tender, M(amount)) for txn, tender, amount in tenders],
        M(change),
        [(kind, M(amount)) for kind, amount in movements],
    )
    return expected_figures(activity)


def test_a_sale_of_75_paid_with_100_adds_75_to_the_drawer_not_100() -> None:
    expected = _expected([("payment", "cash", "100.00")], change="25.00")
    assert expected[CASH] == FLOAT + M("75.00")


def test_a_voided_receipt_leaves_the_drawer_as_it_was() -> None:
    # paid 100 for 75, change 25; the void hands back the 75 the drawer kept
    expected = _expected(
        [("payment", "cash", "100.00"), ("void", "cash", "-75.00")], change="25.00"
    )
    assert expected[CASH] == FLOAT


def test_a_voided_check_is_taken_off_the_checks_expected() -> None:
    expected = _expected(
        [("payment", "check", "84.10"), ("payment", "check", "50.00"), ("void", "check", "-50.00")]
    )
    assert (expected[CASH], expected[CHECK]) == (FLOAT, M("84.10"))


def test_a_refund_in_cash_comes_out_of_the_drawer() -> None:
    expected = _expected([("payment", "cash", "40.00"), ("refund", "cash", "-15.00")])
    assert expected[CASH] == FLOAT + M("25.00")


def test_a_refund_by_mailed_check_is_no_drawers_money() -> None:
    expected = _expected([("payment", "cash", "40.00"), ("refund", "refund_check", "-15.00")])
    assert expected[CASH] == FLOAT + M("40.00")
    assert set(expected) == set(DRAWER_TENDERS)


def test_a_no_sale_moves_no_money_even_with_an_amount_recorded() -> None:
    expected = _expected(movements=[("no_sale", "0.00"), ("no_sale", "5.00")])
    assert expected[CASH] == FLOAT


def test_paid_ins_add_and_paid_outs_and_drops_take_away() -> None:
    expected = _expected(
        [("payment", "cash", "300.00")],
        movements=[("paid_in", "20.00"), ("paid_out", "12.50"), ("drop", "250.00")],
    )
    assert expected[CASH] == M("200.00") + M("300.00") + M("20.00") - M("12.50") - M("250.00")


def test_a_returned_check_never_touches_a_drawers_expected_figures() -> None:
    activity = activity_from(FLOAT, [("nsf_reversal", "check", M("-84.10"))], Money(0), [])
    assert expected_figures(activity) == {
        CASH: FLOAT,
        CHECK: Money(0),
        MO: Money(0),
        CARD: Money(0),
    }
    assert activity.returned_checks == M("-84.10")


def test_the_opening_difference_is_counted_once_at_the_open_not_again_at_the_close() -> None:
    handed_over, counted_at_open = M("200.00"), M("195.00")
    assert opening_difference(counted_at_open, handed_over) == M("-5.00")
    # nothing happened all day and the cashier counts the $195.00 again: balanced
    expected = _expected(opening=counted_at_open)
    result = balance(expected, {CASH: counted_at_open}, {CASH: M("1.00")})
    assert result.line(CASH).over_short == Money(0)


def test_a_second_close_the_same_day_does_not_count_the_first_session_again() -> None:
    morning = activity_from(FLOAT, [("payment", "cash", M("50.00"))], Money(0), [])
    afternoon = activity_from(FLOAT, [("payment", "cash", M("70.00"))], Money(0), [])
    day = day_activity({1: morning, 2: afternoon, **{1: morning}})
    assert expected_figures(day)[CASH] == M("400.00") + M("120.00")


def test_a_count_within_tolerance_balances_and_one_beyond_it_does_not() -> None:
    expected = {CASH: M("275.00"), CHECK: M("84.10"), MO: Money(0), CARD: M("12.00")}
    tolerances = {kind: M("1.00") for kind in DRAWER_TENDERS}
    short_three = balance(
        expected, {CASH: M("272.00"), CHECK: M("84.10"), CARD: M("12.00")}, tolerances
    )
    assert not short_three.within_tolerance
    assert short_three.words == ("Cash short $3.00 — over tolerance",)
    assert short_three.over_short == M("-3.00")
    off_a_dime = balance(
        expected, {CASH: M("275.10"), CHECK: M("84.10"), CARD: M("12.00")}, tolerances
    )
    assert off_a_dime.within_tolerance
    assert off_a_dime.words == ("Cash over $0.10 — within tolerance",)


def test_an_x_read_has_expected_figures_and_no_over_short() -> None:
    result = balance({CASH: M("275.00")})
    assert not result.counted and result.over_short == Money(0)
    assert result.line(CASH).words == "Cash expected $275.00"


def test_over_short_words_say_balanced_when_nothing_is_off() -> None:
    assert over_short_words("Card", Money(0), Money(0)) == "Card balanced"


def test_a_tape_closes_a_batch_only_when_items_and_total_match() -> None:
    posted = Tape(47, M("6212.40"))
    assert TapeCheck(Tape(47, M("6212.40")), posted).matches
    off = TapeCheck(Tape(46, M("6012.40")), posted)
    assert not off.matches and off.over_short == M("-200.00")
    assert off.words == "Tape 46 items, $6,012.40; posted 47 items, $6,212.40: recount or approve"


cents = st.integers(min_value=-(10**8), max_value=10**8).map(Money)
plus = st.integers(min_value=0, max_value=10**8).map(Money)


@given(
    opening=plus,
    cash=cents,
    change=plus,
    paid_in=plus,
    paid_out=plus,
    drops=plus,
    others=st.tuples(cents, cents, cents),
)
def test_expected_cash_is_the_formula_and_other_tenders_are_their_net(
    opening: Money,
    cash: Money,
    change: Money,
    paid_in: Money,
    paid_out: Money,
    drops: Money,
    others: tuple[Money, Money, Money],
) -> None:
    activity = SessionActivity(
        opening_float=opening,
        tendered={CASH: cash, CHECK: others[0], MO: others[1], CARD: others[2]},
        change_given=change,
        paid_in=paid_in,
        paid_out=paid_out,
        drops=drops,
    )
    expected = expected_figures(activity)
    assert expected[CASH] == opening + cash - change + paid_in - paid_out - drops
    assert (expected[CHECK], expected[MO], expected[CARD]) == others


@given(
    st.lists(st.tuples(st.sampled_from(["payment", "void", "nsf_reversal"]), cents), max_size=30)
)
def test_splitting_a_day_into_sessions_never_changes_its_expected_figures(
    rows: list[tuple[str, Money]],
) -> None:
    whole = activity_from(Money(0), [(t, "check", a) for t, a in rows], Money(0), [])
    parts = {
        i: activity_from(Money(0), [(t, "check", a)], Money(0), []) for i, (t, a) in enumerate(rows)
    }
    assert expected_figures(day_activity(parts)) == expected_figures(whole)
    assert day_activity(parts).returned_checks == whole.returned_checks
