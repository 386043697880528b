import dataclasses
import datetime as dt

import pytest

from counter_app.domain.errors import NotFound, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry
from counter_app.services import audit, lookup, sessions
from counter_app.services.context import Context
from counter_app.services.posting import new_idempotency_key
from tests.helpers import (
    FLOAT,
    Clock,
    Town,
    cash,
    check,
    count_drawer,
    evening_drawer,
    pay,
    with_settings,
)

pytestmark = pytest.mark.usefixtures("checked")  # every test ends with a clean check


def test_two_accounts_paid_by_check_and_cash_give_change_from_cash(
    ctx: Context, town: Town
) -> None:
    posted = pay(
        ctx,
        town,
        [("001234-01", "84.10"), ("010002-01", "212.55")],
        [check("200.00", "1043"), cash("100.00")],
    )
    assert posted.change == Money.parse("3.35")
    r = posted.receipt
    assert r.number == "W02-20261123-0001"
    assert r.total == Money.parse("296.65")
    assert r.tendered == Money.parse("300.00")
    assert [t.description for t in r.tenders] == ["Check #1043", "Cash"]
    assert [line.account_number for line in r.lines] == ["001234-01", "010002-01"]
    assert r.lines[1].status_note == "Shut-off stopped"
    assert lookup.get_account(ctx, "010002-01").status.value == "active"
    assert audit.verify(ctx).ok


def test_payment_pays_oldest_bill_first_and_fees_first_within_a_bill(
    ctx: Context, town: Town
) -> None:
    pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    summary = lookup.get_account(ctx, "001234-01")
    opens = {(c.kind, c.bill_date.isoformat()): c.open for c in summary.open_charges}
    assert ("late_fee", "2026-10-01") not in opens  # the fee went first: $5.00
    assert opens[("water", "2026-10-01")] == Money(2500)  # then the oldest bill's water
    assert summary.balance == Money.parse("94.10")


def test_overpayment_becomes_credit_on_the_account(ctx: Context, town: Town) -> None:
    posted = pay(ctx, town, [("001234-01", "150.00")], [cash("150.00")])
    summary = lookup.get_account(ctx, "001234-01")
    assert summary.open_total == Money(0)
    assert summary.credit == Money.parse("45.90")
    assert posted.receipt.lines[0].balance_after == Money(-4590)


def test_partial_payment_leaves_the_rest_open(ctx: Context, town: Town) -> None:
    pay(ctx, town, [("001234-01", "40.00")], [cash("40.00")])
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("64.10")


def test_check_larger_than_the_total_becomes_credit_not_change(ctx: Context, town: Town) -> None:
    posted = pay(ctx, town, [("001234-01", "104.10")], [check("120.00", "77")])
    assert posted.change == Money(0)
    assert posted.receipt.total == Money.parse("120.00")
    assert lookup.get_account(ctx, "001234-01").credit == Money.parse("15.90")


def test_excess_non_cash_is_refused_when_the_office_says_so(ctx: Context, town: Town) -> None:
    policy = ctx.settings.policy.model_copy(update={"excess_noncash": "refuse"})
    strict = with_settings(ctx, policy=policy)
    with pytest.raises(ValidationError, match="no change is given from checks"):
        pay(strict, town, [("001234-01", "100.10")], [check("120.00", "77")])


def test_short_tender_is_refused_and_changes_nothing(ctx: Context, town: Town) -> None:
    with pytest.raises(ValidationError, match=r"\$4.10 short"):
        pay(ctx, town, [("001234-01", "84.10")], [cash("80.00")])
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("104.10")
    assert lookup.get_account(ctx, "001234-01").last_payments == ()


def test_checks_are_refused_on_an_account_flagged_after_a_returned_check(
    ctx: Context, town: Town
) -> None:
    with pytest.raises(ValidationError, match="cash or certified funds"):
        pay(ctx, town, [("004410-02", "50.00")], [check("50.00", "500")])
    posted = pay(
        ctx,
        town,
        [("004410-02", "50.00")],
        [TenderEntry(TenderKind.MONEY_ORDER, Money(5000), reference="MO-1")],
    )
    assert posted.receipt.tenders[0].description == "Money order #MO-1"


def test_closed_account_takes_only_its_final_bill(ctx: Context, town: Town) -> None:
    with pytest.raises(ValidationError, match="at most its final bill"):
        pay(ctx, town, [("020000-01", "50.00")], [cash("50.00")])
    with pytest.raises(ValidationError, match="closed with nothing owed"):
        pay(ctx, town, [("020001-01", "5.00")], [cash("5.00")])
    posted = pay(ctx, town, [("020000-01", "43.21")], [cash("50.00")])
    assert posted.receipt.lines[0].status_note == "Final bill"
    assert posted.change == Money.parse("6.79")


def test_retry_with_the_same_key_returns_the_first_receipt(ctx: Context, town: Town) -> None:
    key = new_idempotency_key()
    first = pay(ctx, town, [("001234-01", "84.10")], [cash("100.00")], key=key)
    again = pay(ctx, town, [("001234-01", "84.10")], [cash("100.00")], key=key)
    assert again.replayed
    assert again.receipt.number == first.receipt.number
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("20.00")


def test_a_reused_key_with_a_different_request_is_refused(ctx: Context, town: Town) -> None:
    key = new_idempotency_key()
    first = pay(ctx, town, [("001234-01", "84.10")], [cash("100.00")], key=key)
    for items, tenders in [
        ([("001234-01", "84.11")], [cash("100.00")]),
        ([("004410-02", "84.10")], [cash("100.00")]),
        ([("001234-01", "84.10")], [cash("90.00"), check("10.00", "5")]),
    ]:
        with pytest.raises(ValidationError, match=f"already used .* {first.receipt.number}"):
            pay(ctx, town, items, tenders, key=key)
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("20.00")
    assert lookup.get_account(ctx, "004410-02").balance == Money.parse("50.00")
    assert pay(ctx, town, [("001234-01", "84.10")], [cash("100.00")], key=key).replayed


def test_receipt_numbers_count_up_per_station_and_day(ctx: Context, town: Town) -> None:
    numbers = [
        pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number for _ in range(3)
    ]
    assert numbers == ["W02-20261123-0001", "W02-20261123-0002", "W02-20261123-0003"]


@pytest.mark.parametrize(
    ("items", "tenders", "message"),
    [
        ([], [TenderEntry(TenderKind.CASH, Money(100))], "Add an account"),
        ([("001234-01", "1.00")], [], "Add a tender"),
        (
            [("001234-01", "1.00"), ("00123401", "2.00")],
            [TenderEntry(TenderKind.CASH, Money(300))],
            "twice",
        ),
        ([("001234-01", "0")], [TenderEntry(TenderKind.CASH, Money(100))], "more than zero"),
        (
            [("001234-01", "2.00")],
            [
                TenderEntry(TenderKind.CHECK, Money(100), reference="9"),
                TenderEntry(TenderKind.CHECK, Money(100), reference="9"),
            ],
            "Check #9 is already on this transaction",
        ),
        ([("001234-01", "1.00")], [TenderEntry(TenderKind.CHECK, Money(100))], "check number"),
        (
            [("001234-01", "1.00")],
            [
                TenderEntry(
                    TenderKind.CARD, Money(100), card_last4="4111111111111111", auth_code="A1B2"
                )
            ],
            "last four",
        ),
        (
            [("001234-01", "1.00")],
            [TenderEntry(TenderKind.CARD, Money(100), card_last4="1111")],
            "authorisation",
        ),
    ],
)
def test_bad_transactions_get_a_clear_message_and_post_nothing(
    ctx: Context,
    town: Town,
    items: list[tuple[str, str]],
    tenders: list[TenderEntry],
    message: str,
) -> None:
    with pytest.raises(ValidationError, match=message):
        pay(ctx, town, items, tenders)
    assert lookup.get_account(ctx, "001234-01").last_payments == ()


def test_unknown_account_is_reported(ctx: Context, town: Town) -> None:
    with pytest.raises(NotFound, match="No account 999999-01"):
        pay(ctx, town, [("999999-01", "1.00")], [cash("1.00")])


def test_card_keeps_only_last_four_and_authorisation(ctx: Context, town: Town) -> None:
    card = TenderEntry(TenderKind.CARD, Money.parse("84.10"), card_last4="4242", auth_code="a1b2c3")
    posted = pay(ctx, town, [("001234-01", "84.10")], [card])
    assert posted.receipt.tenders[0].description == "Card ****4242 auth A1B2C3"


def test_an_idempotency_key_holding_a_nul_is_refused_with_a_message_on_both_databases(
    ctx: Context, town: Town
) -> None:
    with pytest.raises(ValidationError, match="needs an idempotency key"):
        pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")], key="abc\x00def")


def test_a_tender_or_a_transaction_over_the_office_limits_is_refused_and_posts_nothing(
    ctx: Context, town: Town
) -> None:
    before = lookup.get_account(ctx, "001234-01").balance
    with pytest.raises(ValidationError, match=r"Check \$99,999,999,999.99 is over the \$50,000.00"):
        pay(ctx, town, [("001234-01", "10.00")], [check("99999999999.99", "1043")])
    small = with_settings(
        ctx,
        policy=ctx.settings.policy.model_copy(update={"max_transaction": Money.parse("100.00")}),
    )
    with pytest.raises(ValidationError, match=r"Tenders of \$150.00 are over the \$100.00"):
        pay(small, town, [("001234-01", "10.00")], [cash("100.00"), check("50.00", "1044")])
    assert lookup.get_account(ctx, "001234-01").balance == before


def test_after_midnight_the_evening_drawer_keeps_its_business_date(
    ctx: Context, town: Town, clock: Clock
) -> None:
    evening = evening_drawer(ctx, town, clock)  # opened at 6 pm on 11/23; now 11:50 pm
    before = pay(ctx, evening, [("001234-01", "1.00")], [cash("1.00")]).receipt
    clock.advance(minutes=20)  # 12:10 am on 11/24 in Chicago
    after = pay(ctx, evening, [("001234-01", "2.00")], [cash("2.00")]).receipt
    assert [before.number, after.number] == ["W02-20261123-0001", "W02-20261123-0002"]
    assert before.business_date == after.business_date == dt.date(2026, 11, 23)
    assert after.posted_at.astimezone(ctx.settings.zone).date() == dt.date(2026, 11, 24)
    assert sessions.business_date(ctx) == dt.date(2026, 11, 23)
    totals = sessions.session_totals(ctx, evening.session_id)
    assert (totals.receipts, totals.collected) == (2, Money.parse("3.00"))

    count_drawer(ctx, evening.session_id)  # handed in: the station moves on to today
    assert sessions.business_date(ctx) == dt.date(2026, 11, 24)
    morning = sessions.open_session(ctx, town.cashier.id, FLOAT)
    assert morning.business_date == dt.date(2026, 11, 24)
    nextday = pay(
        ctx,
        dataclasses.replace(town, session_id=morning.id),
        [("001234-01", "1.00")],
        [cash("1.00")],
    )
    assert nextday.receipt.number == "W02-20261124-0001"
