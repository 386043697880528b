"""The mail and lockbox payments file (docs/import-formats.md): one payment a row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from counter_app.domain.csv_rows import Cells, RowFormat
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TAKEN_IN, TenderKind
from counter_app.domain.tenders import TenderEntry

TENDERS = tuple(k.value for k in TAKEN_IN)


@dataclass(frozen=True)
class PaymentRow:
    account_number: str
    tender: TenderEntry
    idempotency_key: str  # given in the file, or made from the row itself

    @property
    def amount(self) -> Money:
        return self.tender.amount


def row_key(*cells: str) -> str:
    """A stable key for a row without one: the same row in the same file posts once."""
    return "imp-" + hashlib.sha256("\x1f".join(cells).encode()).hexdigest()[:40]


def parse_payment(row: Cells) -> PaymentRow:
    number = row.account_number("account_number")
    amount = row.money("amount", required=True, positive=True)
    kind = TenderKind(row.choice("tender", TENDERS, default="check"))
    reference = row.text("reference", max_length=20)
    if kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER) and not reference:
        row.fail(f"reference is empty: a {kind.label.lower()} needs its number")
    last4 = row.text("card_last4")
    auth = row.text("auth_code")
    tender = TenderEntry(kind, amount, reference=reference, card_last4=last4, auth_code=auth)
    if not row.reasons:
        try:
            tender.validated()
        except ValidationError as exc:
            row.fail(str(exc))
    given = row.text("idempotency_key", max_length=60)
    key = given or row_key(
        number, str(amount), kind.value, reference, last4, auth, row.raw("line_id")
    )
    return PaymentRow(number, tender, key)


PAYMENTS = RowFormat(
    name="payments",
    required=("account_number", "amount"),
    optional=("tender", "reference", "card_last4", "auth_code", "idempotency_key", "line_id"),
    parse=parse_payment,
    key=lambda p: p.idempotency_key,
    key_label="payment",
)
