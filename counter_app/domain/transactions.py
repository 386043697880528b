"""What kind a stored transaction is, and how a receipt was reversed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from counter_app.domain.receipt import ReceiptVariant


class TransactionKind(StrEnum):
    """The stored ``transactions.kind``: a payment, a reversal of one, or a refund of an
    account's credit (``domain.refunds``: it reverses no receipt)."""

    PAYMENT = "payment"
    VOID = "void"
    NSF_REVERSAL = "nsf_reversal"
    REFUND = "refund"

    @property
    def variant(self) -> ReceiptVariant:
        """The slip its receipt prints as."""
        return {
            TransactionKind.PAYMENT: ReceiptVariant.ORIGINAL,
            TransactionKind.VOID: ReceiptVariant.VOID,
            TransactionKind.NSF_REVERSAL: ReceiptVariant.NSF,
            TransactionKind.REFUND: ReceiptVariant.REFUND,
        }[self]

    @property
    def reversed_as(self) -> str:
        """How a receipt this kind reverses is said to be undone ("voided"); "" for a
        payment or a refund, which reverse nothing."""
        return {
            TransactionKind.VOID: "voided",
            TransactionKind.NSF_REVERSAL: "reversed as a returned check",
        }.get(self, "")


@dataclass(frozen=True)
class Reversal:
    """The transaction that reversed a receipt's transaction, and its slip."""

    original_id: int  # the reversed transaction
    transaction_id: int  # the reversing one
    kind: TransactionKind
    at: dt.datetime  # aware UTC
    receipt_number: str

    @property
    def is_void(self) -> bool:
        return self.kind is TransactionKind.VOID
