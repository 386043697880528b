"""An account's history: charges, payments with their receipts, what reversed them, and the
open balance bill by bill."""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.domain.errors import NotFound
from counter_app.domain.history import EntryKind
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.services import history, lookup, voids
from counter_app.services.context import Context
from tests.helpers import Town, cash, check, grant, pay


def test_the_history_lists_charges_and_payments_newest_first_with_the_open_bills(
    ctx: Context, town: Town
) -> None:
    paid = pay(ctx, town, [("001234-01", "20.00")], [check("20.00", "1043")])
    found = history.account_history(ctx, "001234-01")
    assert found.since == dt.date(2025, 11, 23)  # twelve months before the office's today
    assert [e.on for e in found.entries] == sorted((e.on for e in found.entries), reverse=True)
    newest = found.entries[0]
    assert (newest.kind, newest.what, newest.amount, newest.receipt_number) == (
        EntryKind.PAYMENT,
        "Payment: check #1043",
        -Money.parse("20.00"),
        paid.receipt.number,
    )
    fees = [e for e in found.entries if e.kind is EntryKind.FEE]
    assert [(f.what, f.amount) for f in fees] == [("Late fee", Money.parse("5.00"))]
    bills = [e for e in found.entries if e.kind is EntryKind.BILL]
    assert len(bills) == 5
    # $20.00 paid the late fee first, then October's water: what is open, bill by bill
    water, sewer, trash = "Water", "Sewer", "Trash"
    assert [(b.bill_date, b.by_service) for b in found.open] == [
        (dt.date(2026, 10, 1), ((water, Money.parse("15.00")), (sewer, Money.parse("20.00")))),
        (dt.date(2026, 11, 1), ((water, Money.parse("24.10")), (trash, Money.parse("10.00")))),
        (dt.date(2026, 11, 15), ((water, Money.parse("15.00")),)),
    ]
    assert found.balance == lookup.get_account(ctx, "001234-01").balance == Money.parse("84.10")


def test_a_voided_payment_is_marked_with_the_void_slip_and_the_void_is_listed(
    ctx: Context, town: Town
) -> None:
    paid = pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    slip = voids.void_receipt(
        ctx,
        receipt_number=paid.receipt.number,
        user_id=town.cashier.id,
        grant_id=grant(ctx, town, OverrideAction.VOID, voids.void_subject(paid.receipt.number)),
        reason_code="Wrong account",
    ).receipt
    found = history.account_history(ctx, "001234-01")
    moves = {e.receipt_number: e for e in found.entries if e.receipt_number}
    assert moves[paid.receipt.number].reversed_by == slip.number
    assert moves[paid.receipt.number].reversal_reason == "Wrong account"
    assert moves[slip.number].kind is EntryKind.REVERSAL
    assert moves[slip.number].what == "Void" and moves[slip.number].amount == Money.parse("10.00")
    assert found.balance == Money.parse("104.10")


def test_the_history_of_an_account_with_a_credit_and_no_charges_is_its_credit(
    ctx: Context, town: Town
) -> None:
    found = history.account_history(ctx, "030000-01")
    assert found.entries == () and found.open == ()
    assert found.balance == -Money.parse("15.00")


def test_the_history_of_an_unknown_account_says_so(ctx: Context, town: Town) -> None:
    with pytest.raises(NotFound, match="No account 099999-01"):
        history.account_history(ctx, "099999-01")
