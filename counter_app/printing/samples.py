"""A realistic receipt for the layout and printer tests, the sample PNGs and the simulator:
two accounts (accented names), a check, a card and cash, change given."""

from __future__ import annotations

import dataclasses
import datetime as dt

from counter_app.domain.money import Money
from counter_app.domain.receipt import (
    Receipt,
    ReceiptLine,
    ReceiptTender,
    ReceiptVariant,
    TenderKind,
)

SAMPLE_NUMBER = "W02-20261123-0042"


def sample_receipt(variant: ReceiptVariant = ReceiptVariant.ORIGINAL) -> Receipt:
    """Receipt ``W02-20261123-0042``: $184.10 on two accounts; $50 check, $100 card (its
    description is too long for one 58 mm line with the amount) and $50 cash. A REFUND
    variant is ``sample_refund()``."""
    if variant is ReceiptVariant.REFUND:
        return sample_refund()
    reverses = variant in (ReceiptVariant.VOID, ReceiptVariant.NSF)
    sign = -1 if reverses else 1
    lines = (
        ReceiptLine(
            "001234-01",
            "José Núñez",
            "1418 Riverside Dr",
            Money(8410) * sign,
            Money(0) if not reverses else Money(8410),
            "Shut-off stopped" if not reverses else "",
        ),
        ReceiptLine(
            "004567-02",
            "João Müller-Brontë",
            "77 Old Mill Rd, Apt 3",
            Money(10000) * sign,
            Money(2550) if not reverses else Money(12550),
        ),
    )
    tenders = (
        ReceiptTender(TenderKind.CHECK, Money(5000) * sign, reference="1043"),
        ReceiptTender(TenderKind.CARD, Money(10000) * sign, card_last4="1234", auth_code="123456"),
        ReceiptTender(TenderKind.CASH, Money(5000) * sign),
    )
    return Receipt(
        number=SAMPLE_NUMBER if not reverses else "W02-20261123-0057",
        variant=variant,
        posted_at=dt.datetime(2026, 11, 23, 20, 5, tzinfo=dt.UTC),
        station="W02",
        cashier="mgarcia",
        office_name="City of Riverton Utilities",
        office_address="100 Main St, Riverton",
        office_phone="(555) 010-2000",
        footer="Thank you. Payments post to your account today.",
        lines=lines,
        tenders=tenders,
        change=Money(1590) * sign,
        original_number=SAMPLE_NUMBER if reverses else "",
        reason="Wrong amount" if variant is ReceiptVariant.VOID else "",
    )


def sample_refund(tender: TenderKind = TenderKind.CASH) -> Receipt:
    """Refund slip ``W02-20261123-0058``: $40.00 of an account's credit and deposit back
    (cash, or a check the office will issue), approved by a supervisor."""
    paid = sample_receipt()
    line = ReceiptLine(
        "001234-01",
        "José Núñez",
        "1418 Riverside Dr",
        Money(-4000),
        Money(0),
        "Deposit refunded $25.00",
    )
    return dataclasses.replace(
        paid,
        number="W02-20261123-0058",
        variant=ReceiptVariant.REFUND,
        footer="Keep this slip: it records your refund.",
        lines=(line,),
        tenders=(ReceiptTender(tender, Money(-4000)),),
        change=Money(0),
        reason="Overpaid twice in October",
        approved_by="Sam Ortega",
    )
