"""A VOID or RETURNED CHECK slip names the supervisor who approved it and ends with words
that fit a slip, not the receipt's "payments post today"."""

from __future__ import annotations

from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import Receipt
from counter_app.printing.layout import layout_receipt
from counter_app.printing.preview import preview_text
from counter_app.services import voids
from counter_app.services.context import Context
from tests.helpers import OFFICE_TZ, Town, cash, grant, pay


def test_a_void_slip_names_its_approver_and_ends_with_a_slip_footer(
    ctx: Context, town: Town
) -> None:
    paid = pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    number = paid.receipt.number
    slip = voids.void_receipt(
        ctx,
        receipt_number=number,
        user_id=town.cashier.id,
        grant_id=grant(ctx, town, OverrideAction.VOID, voids.void_subject(number)),
        reason_code="Wrong account",
    ).receipt
    assert slip.approved_by == "Sam Ortega"
    assert paid.receipt.approved_by == ""  # a payment needs no approval
    lines = [line.strip() for line in _printed(slip).splitlines()]
    assert "Approved by Sam Ortega" in lines
    assert "Keep this slip with the original receipt." in lines  # one line, not wrapped
    assert not any("Payments post" in line for line in lines)
    assert any(
        "Payments post to your account" in line for line in _printed(paid.receipt).splitlines()
    )


def _printed(receipt: Receipt) -> str:
    return preview_text(layout_receipt(receipt, width=42, tz=OFFICE_TZ, barcode="none"), 42)
