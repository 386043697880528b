import dataclasses
import datetime as dt

import pytest

from counter_app.domain.accounts import AccountStatus, AccountSummary, LastBill, last_bill_of
from counter_app.domain.allocation import OpenCharge
from counter_app.domain.cart import Cart
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry

TODAY = dt.date(2026, 11, 23)


def account(number: str, owed: int, past_due: int = 0, **kw: object) -> AccountSummary:
    charges = []
    if past_due:
        charges.append(
            OpenCharge(1, "water", dt.date(2026, 9, 1), dt.date(2026, 9, 22), Money(past_due))
        )
    if owed - past_due:
        charges.append(
            OpenCharge(
                2, "water", dt.date(2026, 11, 15), dt.date(2026, 12, 6), Money(owed - past_due)
            )
        )
    fields = dict(
        id=1,
        number=number,
        customer_name="X",
        service_address="Y",
        meter_number="",
        phone="",
        status=AccountStatus.ACTIVE,
        shutoff_date=None,
        deposit=Money(0),
        credit=Money(0),
        checks_not_accepted=False,
        open_charges=tuple(charges),
        today=TODAY,
    )
    fields.update(kw)
    return AccountSummary(**fields)  # type: ignore[arg-type]


def test_totals_tendered_and_change_come_from_cash_only() -> None:
    cart = Cart()
    cart.add_account(account("001234-01", 8410))
    cart.add_account(account("010002-01", 21255))
    cart.add_tender(TenderEntry(TenderKind.CHECK, Money(20000), reference="1043"))
    assert cart.remaining == Money(9665)
    assert not cart.ready
    cart.add_tender(TenderEntry(TenderKind.CASH, Money(10000)))
    assert cart.total == Money(29665)
    assert cart.tendered == Money(30000)
    assert cart.change == Money(335)
    assert cart.ready


def test_a_check_over_the_total_gives_no_change() -> None:
    cart = Cart()
    cart.add_account(account("001234-01", 8410))
    cart.add_tender(TenderEntry(TenderKind.CHECK, Money(10000), reference="1"))
    assert cart.change == Money(0)
    assert cart.lines[0].note == ""


def test_credit_from_a_check_over_the_total_is_confirmed_again_once_it_changes() -> None:
    cart = Cart()
    cart.add_account(account("001234-01", 12414))
    big = TenderEntry(TenderKind.CHECK, Money(20000), reference="1")
    assert str(cart.excess_credit(big)).endswith("by $75.86: it will be credited to 001234-01")
    cart.add_tender(big)
    assert cart.excess_to_confirm is not None and cart.ready
    cart.confirm_excess()
    assert cart.excess_to_confirm is None
    cart.set_amount(0, Money(10000))  # more of the check becomes credit: ask again
    assert str(cart.excess_to_confirm).endswith("by $100.00: it will be credited to 001234-01")
    cart.clear()
    assert cart.is_empty and cart.excess_confirmed is None


def test_a_check_over_the_total_is_refused_at_once_where_the_office_refuses_it() -> None:
    cart = Cart(excess_noncash="refuse")
    cart.add_account(account("001234-01", 8410))
    with pytest.raises(ValidationError, match=r"exceed the total by \$15.90"):
        cart.add_tender(TenderEntry(TenderKind.CHECK, Money(10000), reference="1"))
    assert cart.tenders == []
    cart.add_tender(TenderEntry(TenderKind.CASH, Money(10000)))  # cash over is change
    assert cart.change == Money(1590)


def test_a_stale_stub_adds_the_balance_now_and_keeps_the_stubs_amount_as_the_choice() -> None:
    cart = Cart()
    line = cart.add_account(account("001234-01", 5833), stub=Money(10833))
    assert (line.amount, line.stub) == (Money(5833), Money(10833))
    assert line.stub_difference == "the stub says $108.33, $50.00 more"
    assert line.note == "stub $108.33: F11"
    cart.pay_stub(0)
    assert line.amount == Money(10833) and line.note == "credit $50.00"
    older = cart.add_account(account("010002-01", 10833), stub=Money(5833))
    assert older.amount == Money(10833)
    assert older.stub_difference == "the stub says $58.33, $50.00 less"
    current = cart.add_account(account("030000-01", 4000), stub=Money(4000))
    assert (current.amount, current.stub, current.stub_difference) == (Money(4000), None, "")
    with pytest.raises(ValidationError, match="030000-01: no stub with another amount"):
        cart.pay_stub(2)


def test_the_same_account_cannot_be_added_twice() -> None:
    cart = Cart()
    cart.add_account(account("001234-01", 100))
    with pytest.raises(ValidationError, match="already on this transaction"):
        cart.add_account(account("001234-01", 100))


def test_checks_are_refused_while_a_no_checks_account_is_on_the_transaction() -> None:
    cart = Cart()
    cart.add_account(account("001234-01", 8410))
    assert cart.checks_accepted and not cart.check_refusal
    cart.add_account(account("004410-02", 5000, checks_not_accepted=True))
    assert not cart.checks_accepted
    assert "004410-02 does not accept checks" in cart.check_refusal
    with pytest.raises(ValidationError, match="cash or certified funds"):
        cart.add_tender(TenderEntry(TenderKind.CHECK, Money(5000), reference="7"))
    cart.add_tender(TenderEntry(TenderKind.MONEY_ORDER, Money(5000), reference="7"))


def test_shutoff_note_says_what_stops_it() -> None:
    cart = Cart()
    line = cart.add_account(
        account(
            "010002-01",
            25255,
            past_due=21255,
            status=AccountStatus.SHUTOFF_PENDING,
            shutoff_date=dt.date(2026, 11, 30),
        )
    )
    assert line.note == "stops shut-off"
    cart.set_amount(0, Money(10000))
    assert line.note == "$212.55 stops shut-off"
    with pytest.raises(ValidationError):
        cart.set_amount(0, Money(0))


def test_closed_account_with_nothing_owed_is_refused() -> None:
    with pytest.raises(ValidationError, match="closed with nothing owed"):
        Cart().add_account(account("020001-01", 0, status=AccountStatus.CLOSED))


def test_f10_amount_is_what_stops_the_shutoff() -> None:
    cart = Cart()
    cart.add_account(
        account("010002-01", 25255, past_due=21255, status=AccountStatus.SHUTOFF_PENDING)
    )
    cart.add_account(account("001234-01", 8410))
    cart.pay_to_keep_service(0)
    assert cart.lines[0].amount == Money(21255)
    with pytest.raises(ValidationError, match="nothing past due"):
        cart.pay_to_keep_service(1)


def test_a_disconnected_account_with_no_reconnect_fee_billed_owes_the_offices_fee() -> None:
    cut_off = account(
        "010003-01",
        25255,
        past_due=21255,
        status=AccountStatus.DISCONNECTED,
        reconnect_fee_setting=Money(5000),
    )
    assert cut_off.reconnect_fee == Money(5000)
    assert cut_off.amount_to_keep_service == Money(26255)
    assert cut_off.badges()[0].text == (
        "DISCONNECTED — $262.55 restores service (incl. reconnect fee $50.00)"
    )
    line = Cart().add_account(cut_off)
    assert line.note == "$262.55 restores service"


def test_a_billed_reconnect_fee_is_used_instead_of_the_setting() -> None:
    fee = OpenCharge(3, "reconnect_fee", TODAY, dt.date(2026, 12, 6), Money(7500))
    cut_off = account(
        "010003-01",
        21255,
        past_due=21255,
        status=AccountStatus.DISCONNECTED,
        reconnect_fee_setting=Money(5000),
    )
    cut_off = dataclasses.replace(cut_off, open_charges=(*cut_off.open_charges, fee))
    assert cut_off.reconnect_fee == Money(7500)
    assert cut_off.amount_to_keep_service == Money(28755)


def test_with_no_reconnect_fee_at_all_the_badge_does_not_show_zero() -> None:
    cut_off = account("010003-01", 21255, past_due=21255, status=AccountStatus.DISCONNECTED)
    assert cut_off.badges()[0].text == "DISCONNECTED — $212.55 restores service"


def test_the_last_bill_comes_from_every_bill_charge_paid_or_not() -> None:
    charges = [
        ("water", dt.date(2026, 10, 1), dt.date(2026, 10, 22), Money(3000)),
        ("water", dt.date(2026, 11, 1), dt.date(2026, 11, 22), Money(2410)),
        ("trash", dt.date(2026, 11, 1), dt.date(2026, 11, 22), Money(1000)),
        ("nsf_fee", dt.date(2026, 11, 20), dt.date(2026, 11, 20), Money(3500)),
    ]
    bill = last_bill_of(charges)
    assert bill == LastBill(dt.date(2026, 11, 1), dt.date(2026, 11, 22), Money(3410))
    paid_up = account("004410-02", 0, last_bill=bill)
    assert (paid_up.last_bill_date, paid_up.due_date, paid_up.last_bill_amount) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 22),
        Money(3410),
    )
    assert last_bill_of(charges[3:]) is None
