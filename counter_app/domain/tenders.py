"""Tenders and settlement: what was handed over, the change, and what may not be accepted.

Change comes only from cash: whatever non-cash is over the total is ``excess_noncash``,
credit on account or refused (``domain.payments.settle_payments``)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from counter_app.domain.digits import is_digits
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money, total
from counter_app.domain.receipt import TenderDetails, TenderKind
from counter_app.domain.refusals import NoTender, ShortTender, TenderEnteredTwice

_REFERENCE = re.compile(r"[A-Za-z0-9-]{1,20}")
_AUTH = re.compile(r"[A-Za-z0-9]{4,12}")


@dataclass(frozen=True)
class TenderEntry(TenderDetails):
    """One tender as the cashier entered it, with the bank a check is drawn on."""

    bank: str = ""

    def validated(self) -> TenderEntry:
        """This tender, or a ``ValidationError`` naming what is missing."""
        label = self.kind.label
        if not self.amount.is_positive:
            raise ValidationError(f"{label}: the amount must be more than zero")
        if self.kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER) and not _REFERENCE.fullmatch(
            self.reference.strip()
        ):
            raise ValidationError(f"{label}: enter the {label.lower()} number")
        if self.kind is TenderKind.CARD:
            if not (len(self.card_last4) == 4 and is_digits(self.card_last4)):
                raise ValidationError("Card: enter the last four digits of the card only")
            if not _AUTH.fullmatch(self.auth_code.strip()):
                raise ValidationError("Card: enter the authorisation code from the terminal")
        return self


@dataclass(frozen=True)
class Settlement:
    total: Money
    tendered: Money
    change: Money  # from cash only
    excess_noncash: Money  # non-cash over the total: credit on account, or refused


def check_tenders(tenders: Sequence[TenderEntry]) -> list[TenderEntry]:
    """Every tender valid, and no check or money order entered twice."""
    if not tenders:
        raise NoTender()
    seen: set[tuple[TenderKind, str]] = set()
    for t in tenders:
        t.validated()
        if t.kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER):
            key = (t.kind, t.reference.strip().upper())
            if key in seen:
                raise TenderEnteredTwice(t.kind.label, t.reference.strip())
            seen.add(key)
    return list(tenders)


def cash_of(tenders: Sequence[TenderEntry]) -> Money:
    """What was handed over in cash."""
    return total(t.amount for t in tenders if t.kind is TenderKind.CASH)


def change_due(amount_due: Money, tenders: Sequence[TenderEntry]) -> Money:
    """The change: what is over ``amount_due``, but never more than the cash handed over."""
    return (total(t.amount for t in tenders) - amount_due).max(Money(0)).min(cash_of(tenders))


def settle(amount_due: Money, tenders: Sequence[TenderEntry]) -> Settlement:
    """Change comes only from cash; non-cash beyond the total is ``excess_noncash``.
    Refuses tenders short of ``amount_due``."""
    tendered = total(t.amount for t in tenders)
    if tendered < amount_due:
        raise ShortTender(tendered, amount_due)
    change = change_due(amount_due, tenders)
    return Settlement(amount_due, tendered, change, tendered - amount_due - change)


def request_digest(payments: Sequence[tuple[str, Money]], tenders: Sequence[TenderEntry]) -> str:
    """sha256 of a posting request — (account number, amount) per payment and every tender
    as entered — so a retry can prove it asks for exactly what the first submission did."""
    canonical = {
        "payments": [[number, amount.cents] for number, amount in payments],
        "tenders": [
            [
                t.kind.value,
                t.amount.cents,
                t.reference.strip(),
                t.bank.strip(),
                t.card_last4,
                t.auth_code.strip().upper(),
            ]
            for t in tenders
        ],
    }
    return hashlib.sha256(json.dumps(canonical, separators=(",", ":")).encode()).hexdigest()
