"""The demo city: the same seed makes the same city, and it holds every kind of account."""

import datetime as dt
from collections import Counter

import pytest

from counter_app.domain.account_number import parse_account_number
from counter_app.domain.billing_records import name_alt_key, with_search_keys
from counter_app.domain.demo_city import (
    CHARGE_FIELDS,
    DemoAccount,
    DemoCity,
    bill_calendar,
    premise_address,
)

AS_OF = dt.date(2026, 11, 23)


def city(count: int = 200, seed: int = 7) -> list[DemoAccount]:
    return list(DemoCity(seed, AS_OF).accounts(count))


def charges(account: DemoAccount) -> list[dict[str, object]]:
    return [dict(zip(CHARGE_FIELDS, row, strict=True)) for row in account.charges]


def test_the_same_seed_makes_the_same_city() -> None:
    assert city(seed=7) == city(seed=7)


def test_a_different_seed_makes_a_different_city() -> None:
    first, second = city(seed=7), city(seed=8)
    assert [a.customer_name for a in first] != [a.customer_name for a in second]
    assert [a.charges for a in first] != [a.charges for a in second]


def test_a_small_city_is_the_start_of_a_bigger_one() -> None:
    assert city(50) == city(200)[:50]


def test_ids_count_up_from_the_first_id() -> None:
    accounts = list(DemoCity(1, AS_OF).accounts(20, first_id=101))
    assert [a.id for a in accounts] == list(range(101, 121))
    assert all(c["account_id"] == a.id for a in accounts for c in charges(a))


def test_account_numbers_are_valid_and_unique() -> None:
    accounts = city()
    numbers = [a.number for a in accounts]
    assert len(set(numbers)) == len(numbers)
    assert all(parse_account_number(n) == n for n in numbers)


def test_every_kind_of_account_is_in_a_small_city() -> None:
    accounts = city()
    statuses = Counter(a.status for a in accounts)
    assert set(statuses) == {"active", "shutoff_pending", "disconnected", "closed"}
    assert statuses["active"] > len(accounts) / 2
    assert any(a.credit_cents and a.open_cents == 0 for a in accounts)
    assert any(a.deposit_cents for a in accounts)
    assert any(a.checks_not_accepted for a in accounts)
    closed = [a for a in accounts if a.status == "closed"]
    assert any(a.open_cents == 0 for a in closed)
    assert any(a.open_cents > 0 for a in closed)


def test_delinquent_accounts_owe_old_bills_and_late_fees_and_are_shut_off_soon() -> None:
    delinquent = [a for a in city() if a.status == "shutoff_pending"]
    assert delinquent
    for account in delinquent:
        assert account.shutoff_date is not None
        assert 1 <= (account.shutoff_date - AS_OF).days <= 14
        rows = charges(account)
        assert any(c["kind"] == "late_fee" and c["open_cents"] for c in rows)
        open_bills = {c["bill_date"] for c in rows if c["kind"] == "water" and c["open_cents"]}
        assert len(open_bills) >= 2


def test_disconnected_accounts_owe_a_reconnect_fee() -> None:
    disconnected = [a for a in city() if a.status == "disconnected"]
    assert disconnected
    for account in disconnected:
        assert account.shutoff_date is not None and account.shutoff_date < AS_OF
        assert any(c["kind"] == "reconnect_fee" and c["open_cents"] for c in charges(account))


def test_closed_accounts_have_a_final_bill_and_nothing_else_open() -> None:
    for account in (a for a in city() if a.status == "closed"):
        rows = charges(account)
        assert [c["kind"] for c in rows].count("final_bill") == 1
        assert all(c["open_cents"] == 0 for c in rows if c["kind"] != "final_bill")


def test_accounts_whose_checks_bounced_have_a_returned_check_fee_this_year() -> None:
    for account in (a for a in city() if a.checks_not_accepted):
        fees = [c for c in charges(account) if c["kind"] == "nsf_fee"]
        assert len(fees) == 1
        assert AS_OF - dt.timedelta(days=366) <= fees[0]["bill_date"] <= AS_OF


def test_accounts_with_a_credit_owe_nothing() -> None:
    for account in (a for a in city() if a.credit_cents):
        assert account.open_cents == 0


def test_most_accounts_owe_only_their_latest_bill() -> None:
    active = [a for a in city() if a.status == "active" and not a.credit_cents]
    only_latest = 0
    for account in active:
        rows = charges(account)
        latest = max(c["bill_date"] for c in rows)
        open_dates = {c["bill_date"] for c in rows if c["open_cents"] and c["kind"] != "nsf_fee"}
        only_latest += open_dates <= {latest}
    assert only_latest == len(active)


def test_charges_are_consistent() -> None:
    for account in city():
        rows = charges(account)
        ids = [c["external_id"] for c in rows]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        for c in rows:
            assert 0 <= c["open_cents"] <= c["amount_cents"]
            assert c["amount_cents"] > 0
            assert c["bill_date"] <= c["due_date"]
            assert c["bill_date"] <= AS_OF
            assert len(str(c["external_id"])) <= 40


def test_twelve_months_are_billed_water_sewer_and_trash_due_in_21_days() -> None:
    account = city(1)[0]
    rows = charges(account)
    water = [c for c in rows if c["kind"] == "water"]
    assert len(water) == 12
    assert {c["bill_date"] for c in water} == {c["bill_date"] for c in rows if c["kind"] == "sewer"}
    assert all(c["due_date"] - c["bill_date"] == dt.timedelta(days=21) for c in water)


def test_names_include_accented_ones_and_many_smiths() -> None:
    names = [a.customer_name for a in city(2000)]
    assert {"Núñez, José", "Müller, Anja", "Peña, Sofía"} <= set(names)
    smith_j = [n for n in names if with_search_keys({"customer_name": n})["name_key"]
               .startswith("SMITH J")]  # fmt: skip
    assert len(smith_j) >= 3


def test_the_first_name_first_key_swaps_at_the_comma() -> None:
    assert name_alt_key("Smith, John") == "JOHN SMITH"
    assert name_alt_key("Núñez, José A") == "JOSE A NUNEZ"
    assert name_alt_key("Riverside Cafe") == "RIVERSIDE CAFE"


def test_addresses_are_on_a_street_grid_and_unique() -> None:
    assert premise_address(1) == "100 Oak St"
    addresses = [premise_address(p) for p in range(1, 20_001)]
    assert len(set(addresses)) == len(addresses)


@pytest.mark.parametrize("as_of", [dt.date(2026, 1, 5), dt.date(2026, 3, 31), AS_OF])
def test_bill_calendar_has_the_twelve_latest_bills(as_of: dt.date) -> None:
    bills = bill_calendar(as_of, 8)
    assert len(bills) == 12
    assert bills[-1].bill_date <= as_of < bills[-1].bill_date + dt.timedelta(days=31)
    assert all(b.bill_date.day == 8 for b in bills)
    assert [b.bill_date for b in bills] == sorted(b.bill_date for b in bills)


def test_a_negative_seed_or_too_many_accounts_are_refused() -> None:
    with pytest.raises(ValueError):
        DemoCity(-1, AS_OF)
    with pytest.raises(ValueError):
        list(DemoCity(1, AS_OF).accounts(1_000_001))
