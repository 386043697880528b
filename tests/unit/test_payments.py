"""The payment rules: what an account takes, settling against payments, a payment's effect
on its account and service, and the amount that keeps service."""

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.accounts import AccountStatus, AccountSummary, amount_to_keep_service
from counter_app.domain.allocation import Applied, OpenCharge
from counter_app.domain.money import Money, total
from counter_app.domain.payments import (
    apply_payment,
    check_account_takes,
    checks_refusal,
    excess_credit,
    keeps_service,
    line_note,
    reconnect_fee_to_bill,
    restores_service,
    settle_payments,
    what_keeps_service,
    with_reconnect_fee,
)
from counter_app.domain.receipt import TAKEN_IN, TenderKind
from counter_app.domain.refusals import (
    ChecksNotAccepted,
    ClosedNothingOwed,
    ExcessNonCashOnClosed,
    ExcessNonCashRefused,
    OverFinalBill,
    ShortTender,
)
from counter_app.domain.tenders import TenderEntry

TODAY = dt.date(2026, 11, 23)
PAST, LATER = dt.date(2026, 10, 20), dt.date(2026, 12, 6)


def summary(
    number: str = "001234-01",
    charges: Sequence[tuple[str, dt.date, int]] = (("water", PAST, 5000), ("water", LATER, 3000)),
    *,
    status: AccountStatus = AccountStatus.ACTIVE,
    credit: int = 0,
    checks_not_accepted: bool = False,
    reconnect_fee: int = 5000,
) -> AccountSummary:
    """An account with open charges given as (kind, due date, open cents)."""
    return AccountSummary(
        id=1,
        number=number,
        customer_name="Smith, Ann",
        service_address="1 Oak St",
        meter_number="",
        phone="",
        status=status,
        shutoff_date=dt.date(2026, 11, 30) if status is AccountStatus.SHUTOFF_PENDING else None,
        deposit=Money(0),
        credit=Money(credit),
        checks_not_accepted=checks_not_accepted,
        open_charges=tuple(
            OpenCharge(i, kind, due - dt.timedelta(days=21), due, Money(cents))
            for i, (kind, due, cents) in enumerate(charges, start=1)
        ),
        today=TODAY,
        reconnect_fee_setting=Money(reconnect_fee),
    )


def cash(cents: int) -> TenderEntry:
    return TenderEntry(TenderKind.CASH, Money(cents))


def check(cents: int, number: str = "1043") -> TenderEntry:
    return TenderEntry(TenderKind.CHECK, Money(cents), reference=number)


def test_a_check_is_refused_naming_the_first_account_that_takes_none() -> None:
    accounts = [summary("001234-01"), summary("004410-02", checks_not_accepted=True)]
    refusal = checks_refusal(accounts)
    assert isinstance(refusal, ChecksNotAccepted)
    assert str(refusal) == (
        "Account 004410-02 does not accept checks after a returned check: take cash or "
        "certified funds (money order) only"
    )
    assert refusal.brief == "Cash or certified funds only: account 004410-02 does not accept checks"
    assert checks_refusal(accounts[:1]) is None


def test_a_closed_account_takes_its_final_bill_and_no_more() -> None:
    final = summary(charges=[("final_bill", PAST, 4321)], status=AccountStatus.CLOSED)
    check_account_takes(final, Money(4321))
    with pytest.raises(OverFinalBill, match=r"at most its final bill \$43.21"):
        check_account_takes(final, Money(4322))
    with pytest.raises(ClosedNothingOwed, match="closed with nothing owed"):
        check_account_takes(summary(charges=[], status=AccountStatus.CLOSED))


def test_a_check_on_a_no_checks_account_is_refused_before_anything_else() -> None:
    flagged = summary(checks_not_accepted=True)
    check_account_takes(flagged, Money(100))
    with pytest.raises(ChecksNotAccepted):
        check_account_takes(flagged, Money(100), has_check=True)


def test_non_cash_over_the_total_is_credit_on_the_first_account_by_default() -> None:
    lines = [(summary("001234-01"), Money(8000)), (summary("010002-01"), Money(1000))]
    settled = settle_payments(lines, [check(10000)], excess_noncash="credit")
    assert settled.amounts == (Money(9000), Money(1000))
    assert settled.total == Money(10000)
    assert settled.settlement.change == Money(0)


def test_non_cash_over_the_total_is_refused_when_the_policy_says_so() -> None:
    with pytest.raises(ExcessNonCashRefused, match=r"exceed the total by \$20.00"):
        settle_payments([(summary(), Money(8000))], [check(10000)], excess_noncash="refuse")


def test_non_cash_over_the_total_is_refused_when_the_first_account_is_closed() -> None:
    closed = summary(charges=[("final_bill", PAST, 8000)], status=AccountStatus.CLOSED)
    with pytest.raises(ExcessNonCashOnClosed, match="closed: it cannot hold a credit"):
        settle_payments([(closed, Money(8000))], [check(10000)], excess_noncash="credit")


def test_the_credit_from_non_cash_over_the_total_is_said_in_words_before_it_is_posted() -> None:
    lines = [(summary("001234-01"), Money(12414))]
    credit = excess_credit(lines, [check(20000)], excess_noncash="credit")
    assert str(credit) == (
        "Check exceeds the amount due by $75.86: it will be credited to 001234-01"
    )
    two = excess_credit(lines, [check(10000, "1"), check(10000, "2")], excess_noncash="credit")
    assert str(two).startswith("Checks exceed the amount due by $75.86")
    card = TenderEntry(TenderKind.CARD, Money(10000), card_last4="4242", auth_code="A1B2")
    mixed = excess_credit(lines, [check(10000), card], excess_noncash="credit")
    assert str(mixed).startswith("Non-cash tenders exceed the amount due by $75.86")
    # nothing to say: short, exactly paid, or what is over comes back as change
    for tenders in ([check(10000)], [check(12414)], [check(10000), cash(10000)]):
        assert excess_credit(lines, tenders, excess_noncash="refuse") is None
    with pytest.raises(ExcessNonCashRefused, match=r"exceed the total by \$75.86"):
        excess_credit(lines, [check(20000)], excess_noncash="refuse")


def test_cash_over_the_total_is_change_whatever_the_policy() -> None:
    settled = settle_payments([(summary(), Money(8000))], [cash(10000)], excess_noncash="refuse")
    assert settled.amounts == (Money(8000),)
    assert settled.settlement.change == Money(2000)


def test_paying_what_is_past_due_stops_a_shutoff_and_says_so() -> None:
    pending = summary(status=AccountStatus.SHUTOFF_PENDING)
    assert pending.amount_to_keep_service == Money(5000)
    effect = apply_payment(pending, Money(5000), fees_first=True)
    assert effect.stops_shutoff and effect.note == "Shut-off stopped"
    assert effect.balance_after == Money(3000)
    short = apply_payment(pending, Money(4999), fees_first=True)
    assert not short.stops_shutoff and short.note == "Shut-off 11/30 still pending"
    assert (line_note(pending, Money(5000)), line_note(pending, Money(10))) == (
        "stops shut-off",
        "$50.00 stops shut-off",
    )


def test_a_disconnected_account_needs_the_reconnect_fee_too() -> None:
    cut_off = summary(status=AccountStatus.DISCONNECTED)
    assert cut_off.amount_to_keep_service == Money(10000)  # past due + office's fee
    assert reconnect_fee_to_bill(cut_off, Money(10000)) == Money(5000)
    billed = with_reconnect_fee(cut_off, 99)
    assert billed.amount_to_keep_service == Money(10000)  # billing it changes nothing shown
    assert apply_payment(billed, Money(10000), fees_first=True).note == (
        "Paid to restore service (incl. reconnect fee $50.00)"
    )
    assert not apply_payment(cut_off, Money(9999), fees_first=True).restores_service
    assert line_note(cut_off, Money(9999)) == "$100.00 restores service"
    billed = summary(
        charges=[("water", PAST, 5000), ("reconnect_fee", LATER, 4000)],
        status=AccountStatus.DISCONNECTED,
    )
    assert billed.amount_to_keep_service == Money(9000)  # the billed fee, not the setting


def test_restoring_service_pays_the_reconnect_fee_before_older_charges() -> None:
    # the water billed 11/15 is older than a fee billed today: oldest-first would pay it
    # and leave $30.00 of the fee open, the account still owing what restores it
    cut_off = with_reconnect_fee(summary(status=AccountStatus.DISCONNECTED), 99)
    effect = apply_payment(cut_off, Money(10000), fees_first=False)
    assert effect.applied == (Applied(99, Money(5000)), Applied(1, Money(5000)))
    assert effect.restores_service and effect.status_after is AccountStatus.RECONNECT_ORDERED


def test_an_open_reconnect_fee_is_paid_first_and_no_second_one_is_billed() -> None:
    billed = summary(
        charges=[("water", PAST, 5000), ("reconnect_fee", PAST, 7500)],
        status=AccountStatus.DISCONNECTED,
    )
    assert billed.amount_to_keep_service == Money(12500)
    assert billed.badges()[0].text == (
        "DISCONNECTED — $125.00 restores service (incl. reconnect fee $75.00)"
    )
    assert reconnect_fee_to_bill(billed, Money(12500)) == Money(0)
    effect = apply_payment(billed, Money(12500), fees_first=False)
    assert effect.applied[0] == Applied(2, Money(7500))
    assert effect.note == "Paid to restore service (incl. reconnect fee $75.00)"


def test_a_payment_short_of_restoring_service_bills_no_fee_and_changes_no_status() -> None:
    cut_off = summary(status=AccountStatus.DISCONNECTED)
    assert reconnect_fee_to_bill(cut_off, Money(9999)) == Money(0)
    short = apply_payment(cut_off, Money(9999), fees_first=True)
    assert short.status_after is None and not short.restores_service
    assert short.note == "Service disconnected: balance past due"
    assert line_note(cut_off, Money(9999)) == "$100.00 restores service"


def test_a_reconnect_ordered_account_asks_no_further_fee_and_says_so() -> None:
    ordered = dataclasses.replace(
        summary(charges=[("water", LATER, 3000)], status=AccountStatus.RECONNECT_ORDERED),
        service_order="SO-W02-20261123-0001",
    )
    assert ordered.reconnect_fee == Money(0)
    assert ordered.amount_to_keep_service == Money(0)
    assert not ordered.service_at_risk
    assert [b.text for b in ordered.badges()] == [
        "RECONNECT ORDERED SO-W02-20261123-0001 — no reconnect fee due; service to be turned on"
    ]
    assert reconnect_fee_to_bill(ordered, Money(3000)) == Money(0)
    assert apply_payment(ordered, Money(3000), fees_first=True).status_after is None
    assert AccountStatus.RECONNECT_ORDERED.label == "RECONNECT ORDERED"


def test_a_payment_over_the_balance_is_credit_and_the_line_says_so() -> None:
    effect = apply_payment(summary(), Money(9000), fees_first=True)
    assert effect.credit == Money(1000)
    assert effect.balance_after == Money(-1000)
    assert line_note(summary(), Money(9000)) == "credit $10.00"
    assert line_note(summary(), Money(8000)) == ""


statuses = st.sampled_from(list(AccountStatus))


@st.composite
def accounts(draw: st.DrawFn) -> AccountSummary:
    charges = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["water", "late_fee", "reconnect_fee"]),
                st.sampled_from([PAST, TODAY, LATER]),
                st.integers(min_value=1, max_value=40_000),
            ),
            max_size=6,
        )
    )
    return summary(
        charges=charges,
        status=draw(statuses),
        credit=draw(st.integers(min_value=0, max_value=5_000)),
        reconnect_fee=draw(st.integers(min_value=0, max_value=9_000)),
    )


@given(accounts(), st.integers(min_value=1, max_value=200_000).map(Money), st.booleans())
def test_a_payment_adds_up_and_leaves_no_negative_open_amount(
    account: AccountSummary, amount: Money, fees_first: bool
) -> None:
    if reconnect_fee_to_bill(account, amount):
        account = with_reconnect_fee(account, 99)
    effect = apply_payment(account, amount, fees_first=fees_first)
    assert total(a.amount for a in effect.applied) == amount
    assert effect.balance_after == account.balance - amount
    opens = {c.id: c.open for c in account.open_charges}
    for part in effect.applied:
        if part.charge_id is not None:
            assert part.amount <= opens[part.charge_id]
    assert effect.credit == (amount - account.open_total).max(Money(0))
    assert effect.stops_shutoff == (
        account.status is AccountStatus.SHUTOFF_PENDING and keeps_service(account, amount)
    )
    assert effect.restores_service == restores_service(account, amount)
    if effect.restores_service:  # every reconnect fee paid in full, before anything else
        fees = [c for c in account.open_charges if c.kind == "reconnect_fee"]
        assert [(a.charge_id, a.amount) for a in effect.applied[: len(fees)]] == [
            (c.id, c.open) for c in fees
        ]


@given(accounts())
def test_paying_the_amount_that_keeps_service_keeps_it_and_a_cent_less_does_not(
    account: AccountSummary,
) -> None:
    keep = amount_to_keep_service(
        account.status, account.open_charges, TODAY, account.reconnect_fee_setting
    )
    assert keep == account.amount_to_keep_service
    assert not keep.is_negative
    assert keep >= account.past_due
    assert keeps_service(account, keep)
    if keep.is_positive:
        assert not keeps_service(account, keep - Money(1))


@given(
    st.lists(st.integers(min_value=1, max_value=50_000), min_size=1, max_size=4),
    st.lists(
        st.tuples(st.sampled_from(TAKEN_IN), st.integers(min_value=1, max_value=90_000)),
        min_size=1,
        max_size=4,
    ),
)
def test_settled_payments_add_up_to_what_was_tendered_less_the_change(
    owed: list[int], handed: list[tuple[TenderKind, int]]
) -> None:
    lines = [(summary(f"00{i:04d}-01"), Money(cents)) for i, cents in enumerate(owed)]
    tenders = [
        TenderEntry(kind, Money(cents), reference=str(i), card_last4="4242", auth_code="A1B2")
        for i, (kind, cents) in enumerate(handed)
    ]
    if total(t.amount for t in tenders) < total(a for _, a in lines):
        with pytest.raises(ShortTender):
            settle_payments(lines, tenders, excess_noncash="credit")
        return
    settled = settle_payments(lines, tenders, excess_noncash="credit")
    done = settled.settlement
    assert settled.total + done.change == done.tendered
    assert settled.amounts[1:] == tuple(a for _, a in lines[1:])
    cash_in = total(t.amount for t in tenders if t.kind is TenderKind.CASH)
    assert Money(0) <= done.change <= cash_in


def test_f10_says_what_the_amount_that_keeps_service_does() -> None:
    pending = summary(status=AccountStatus.SHUTOFF_PENDING)
    assert what_keeps_service(pending) == "which stops the shut-off 11/30"
    cut_off = summary(status=AccountStatus.DISCONNECTED)
    assert what_keeps_service(cut_off) == ("which restores service (incl. reconnect fee $50.00)")
    assert what_keeps_service(summary()) == "what is past due"
